import { describe, expect, it } from 'vitest';
import type { PanelUser, PanelUserSpec } from '../adapter.js';
import { compareUser, panelCapabilities } from './drift.js';

const at = new Date('2031-01-01T00:00:00Z');
const desired: PanelUserSpec = { key: 'vpn_s1', expiresAt: at, trafficLimitBytes: 100, deviceLimit: 2, enabled: true };
const actual: PanelUser = {
  key: 'vpn_s1',
  panelId: 'x',
  enabled: true,
  expiresAt: at,
  trafficLimitBytes: 100,
  usedTrafficBytes: 5,
  deviceLimit: 2,
  onlineAt: null,
  subscriptionUrl: null,
  links: [],
};
const ctx = { kind: '3x-ui' as const, serverId: 1, accountId: 7, subscriptionId: 1, expiryToleranceMs: 60_000 };

describe('compareUser', () => {
  it('reports nothing when the panel matches, within the expiry tolerance', () => {
    expect(compareUser(desired, { ...actual, expiresAt: new Date(at.getTime() + 59_000) }, ctx)).toEqual([]);
  });

  it('reports each difference with expected and actual', () => {
    const items = compareUser(desired, { ...actual, expiresAt: null, trafficLimitBytes: null, deviceLimit: 5, enabled: false }, ctx);
    expect(items.map((i) => [i.kind, i.field, i.expected, i.actual])).toEqual([
      ['expiry_differs', undefined, at.toISOString(), null],
      ['limit_differs', 'trafficLimitBytes', 100, null],
      ['limit_differs', 'deviceLimit', 2, 5],
      ['enabled_differs', undefined, true, false],
    ]);
    expect(items[0]).toMatchObject({ serverId: 1, key: 'vpn_s1', accountId: 7, subscriptionId: 1 });
  });

  it('ignores an expiry the panel cannot hold: none on wg-easy v14, a past one on Remnawave', () => {
    const now = new Date('2031-06-01T00:00:00Z');
    const ended = { ...desired, expiresAt: new Date('2031-05-01T00:00:00Z'), enabled: false };
    const offOnPanel = { ...actual, enabled: false };
    expect(compareUser(desired, { ...actual, expiresAt: null }, { ...ctx, kind: 'wg-easy', version: '14.0' })).toEqual([]);
    expect(compareUser(desired, { ...actual, expiresAt: null }, { ...ctx, kind: 'wg-easy', version: '15.4.0' }).map((i) => i.kind)).toEqual(
      ['expiry_differs'],
    );
    expect(compareUser(ended, offOnPanel, { ...ctx, kind: 'remnawave', now })).toEqual([]);
    // A future date it can hold, and the switch is always compared.
    expect(
      compareUser({ ...ended, expiresAt: new Date('2031-07-01T00:00:00Z') }, offOnPanel, { ...ctx, kind: 'remnawave', now }).map(
        (i) => i.kind,
      ),
    ).toEqual(['expiry_differs']);
    expect(compareUser(ended, { ...offOnPanel, enabled: true }, { ...ctx, kind: 'remnawave', now }).map((i) => i.kind)).toEqual([
      'enabled_differs',
    ]);
    // Marzban and 3x-ui store a past date like any other.
    expect(compareUser(ended, offOnPanel, { ...ctx, kind: 'marzban', now }).map((i) => i.kind)).toEqual(['expiry_differs']);
    expect(panelCapabilities('wg-easy', null).expiry).toBe('any');
    expect(panelCapabilities('wg-easy', 'v14').expiry).toBe('none');
  });

  it('ignores limits the panel cannot hold', () => {
    expect(compareUser(desired, { ...actual, deviceLimit: null }, { ...ctx, kind: 'marzban' })).toEqual([]);
    expect(compareUser(desired, { ...actual, deviceLimit: null, trafficLimitBytes: null }, { ...ctx, kind: 'wg-easy' })).toEqual([]);
  });
});
