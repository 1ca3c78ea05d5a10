import { describe, expect, it } from 'vitest';
import { isUsable, type PanelUserSpec } from '../../adapter.js';
import {
  needsDisable,
  REMNAWAVE_NEVER,
  fromRemnawaveExpireAt,
  fromRemnawaveTrafficLimit,
  toCreateBody,
  toPanelUser,
  toRemnawaveExpireAt,
  toRemnawaveTrafficLimit,
  toUpdateBody,
  userPathId,
} from './remnawave.mapping.js';
import { remnawaveGeneration, type RemnawaveUser } from './remnawave.types.js';

const spec = (over: Partial<PanelUserSpec> = {}): PanelUserSpec => ({
  key: 'vpn_s42',
  expiresAt: new Date('2030-05-01T10:00:00.000Z'),
  trafficLimitBytes: 107_374_182_400,
  deviceLimit: 3,
  enabled: true,
  note: 'tg 123',
  ...over,
});

const user = (over: Partial<RemnawaveUser> = {}): RemnawaveUser => ({
  id: 17,
  uuid: '0b5c2f6e-1111-4222-8333-444455556666',
  shortUuid: 'aB3dE5fG7hJ9kL1m',
  username: 'vpn_s42',
  status: 'ACTIVE',
  trafficLimitBytes: 107_374_182_400,
  trafficLimitStrategy: 'NO_RESET',
  expireAt: '2030-05-01T10:00:00.000Z',
  description: 'tg 123',
  hwidDeviceLimit: 3,
  subscriptionUrl: 'https://sub.example.com/aB3dE5fG7hJ9kL1m',
  activeInternalSquads: [{ uuid: 'sq-1', name: 'Default' }],
  userTraffic: { usedTrafficBytes: 5_000, onlineAt: '2030-01-01T00:00:00.000Z' },
  ...over,
});

describe('remnawave units', () => {
  it('writes expiry as ISO-8601 with Z and reads it back to the same instant', () => {
    const at = new Date('2026-01-17T15:38:45.065Z');
    expect(toRemnawaveExpireAt(at)).toBe('2026-01-17T15:38:45.065Z');
    expect(fromRemnawaveExpireAt('2026-01-17T15:38:45.065Z')?.getTime()).toBe(at.getTime());
    // An offset form from the panel is the same instant.
    expect(fromRemnawaveExpireAt('2026-01-17T18:38:45.065+03:00')?.toISOString()).toBe('2026-01-17T15:38:45.065Z');
  });

  it('maps "never" to a far date and any date from 2099 back to null', () => {
    expect(toRemnawaveExpireAt(null)).toBe(REMNAWAVE_NEVER.toISOString());
    expect(fromRemnawaveExpireAt(REMNAWAVE_NEVER.toISOString())).toBeNull();
    expect(fromRemnawaveExpireAt('2099-01-01T00:00:00.000Z')).toBeNull();
    expect(fromRemnawaveExpireAt('2098-12-31T23:59:59.000Z')).not.toBeNull();
  });

  it('keeps bytes as bytes with 0 meaning unlimited', () => {
    expect(toRemnawaveTrafficLimit(null)).toBe(0);
    expect(toRemnawaveTrafficLimit(1_073_741_824)).toBe(1_073_741_824);
    expect(fromRemnawaveTrafficLimit(0)).toBeNull();
    expect(fromRemnawaveTrafficLimit(1_073_741_824)).toBe(1_073_741_824);
  });

  it('reads the generation from the version string', () => {
    expect(remnawaveGeneration('2.8.1')).toBe(2);
    expect(remnawaveGeneration('v3.3.2')).toBe(3);
    expect(remnawaveGeneration('1.6.18')).toBeNull();
    expect(remnawaveGeneration('4.0.0')).toBeNull();
  });
});

describe('remnawave create and update bodies', () => {
  it('creates with squads, device limit, note and status from the spec', () => {
    expect(toCreateBody(spec({ enabled: false }), ['sq-1'])).toEqual({
      username: 'vpn_s42',
      expireAt: '2030-05-01T10:00:00.000Z',
      status: 'DISABLED',
      trafficLimitBytes: 107_374_182_400,
      trafficLimitStrategy: 'NO_RESET',
      hwidDeviceLimit: 3,
      description: 'tg 123',
      activeInternalSquads: ['sq-1'],
    });
    expect(toCreateBody(spec({ deviceLimit: null, note: undefined }), [])).not.toHaveProperty('hwidDeviceLimit');
  });

  it('sends nothing when the user already matches', () => {
    expect(toUpdateBody(spec(), user(), ['sq-1'], 3)).toBeNull();
  });

  it('patches only what differs, addressed by id in 3.x and uuid in 2.x', () => {
    const want = spec({ trafficLimitBytes: null, expiresAt: new Date('2031-01-01T00:00:00.000Z') });
    expect(toUpdateBody(want, user(), ['sq-1'], 3)).toEqual({ id: 17, trafficLimitBytes: 0, expireAt: '2031-01-01T00:00:00.000Z' });
    expect(toUpdateBody(want, user(), ['sq-1'], 2)).toEqual({
      uuid: '0b5c2f6e-1111-4222-8333-444455556666',
      trafficLimitBytes: 0,
      expireAt: '2031-01-01T00:00:00.000Z',
    });
  });

  it('does not re-activate a LIMITED or EXPIRED user by status; disabling is the action, for every status but DISABLED', () => {
    expect(toUpdateBody(spec(), user({ status: 'LIMITED' }), ['sq-1'], 3)).toBeNull();
    expect(toUpdateBody(spec(), user({ status: 'DISABLED' }), ['sq-1'], 3)).toEqual({ id: 17, status: 'ACTIVE' });
    // The panel applies PATCH DISABLED to ACTIVE users only (users.service.ts): never sent.
    expect(toUpdateBody(spec({ enabled: false }), user({ status: 'EXPIRED' }), ['sq-1'], 3)).toBeNull();
    for (const status of ['ACTIVE', 'LIMITED', 'EXPIRED'] as const)
      expect(needsDisable(spec({ enabled: false }), user({ status }))).toBe(true);
    expect(needsDisable(spec({ enabled: false }), user({ status: 'DISABLED' }))).toBe(false);
    expect(needsDisable(spec(), user({ status: 'LIMITED' }))).toBe(false);
    // Switched on, but not usable: the panel's own limit or expiry holds them.
    for (const status of ['LIMITED', 'EXPIRED', 'DISABLED'] as const) expect(isUsable(toPanelUser(user({ status }), 3))).toBe(false);
    expect(isUsable(toPanelUser(user({ status: 'ACTIVE' }), 3))).toBe(true);
  });

  it('never sends a past expireAt (the panel refuses it) and replaces squads only when the set differs', () => {
    const now = new Date('2030-06-01T00:00:00.000Z');
    const past = spec({ expiresAt: new Date('2030-05-15T00:00:00.000Z'), enabled: false });
    expect(toUpdateBody(past, user(), ['sq-1'], 3, now)).toBeNull();
    expect(needsDisable(past, user())).toBe(true);
    expect(toUpdateBody(spec(), user(), ['sq-2'], 3)).toEqual({ id: 17, activeInternalSquads: ['sq-2'] });
    expect(toUpdateBody(spec({ deviceLimit: null }), user(), ['sq-1'], 3)).toEqual({ id: 17, hwidDeviceLimit: null });
  });

  it('reads users of both generations into our units', () => {
    const v3 = toPanelUser(user({ uuid: undefined }), 3);
    expect(v3).toMatchObject({
      key: 'vpn_s42',
      panelId: '17',
      enabled: true,
      trafficLimitBytes: 107_374_182_400,
      usedTrafficBytes: 5_000,
      deviceLimit: 3,
      links: [],
    });
    expect(v3.expiresAt?.toISOString()).toBe('2030-05-01T10:00:00.000Z');
    expect(v3.onlineAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(toPanelUser(user(), 2).panelId).toBe('0b5c2f6e-1111-4222-8333-444455556666');
    // 2.0–2.2: traffic flat on the user, no numeric id.
    const legacy = toPanelUser(user({ id: undefined, userTraffic: undefined, usedTrafficBytes: 9, onlineAt: null, status: 'DISABLED' }), 2);
    expect(legacy).toMatchObject({ usedTrafficBytes: 9, onlineAt: null, enabled: false, status: 'disabled' });
    expect(userPathId(user(), 3)).toBe('17');
    expect(userPathId(user(), 2)).toBe('0b5c2f6e-1111-4222-8333-444455556666');
  });
});
