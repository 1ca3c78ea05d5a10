import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PanelAdapter, PanelUser, PanelUserSpec } from '../adapter.js';
import { linkCredential } from '../provisioning/credential-identity.js';
import type { PanelEmulator } from '../testing/panel-emulator.js';

/** A fresh adapter talking to a fresh emulator; made before and closed after every test. */
export interface ContractHarness {
  adapter: PanelAdapter;
  /** Only `userCount`, `setUsedTraffic` and `close` are used by the contract. */
  emulator: Pick<PanelEmulator, 'userCount' | 'setUsedTraffic' | 'close'>;
  /**
   * For panels that report nodes (`nodes: true`): switches the emulator's only node on or off,
   * so the contract checks that health lists it and reports it disconnected.
   */
  setNodeConnected?: (connected: boolean) => void;
}

/** What a panel can express; the contract checks exactly what the panel supports. */
export interface ContractOptions {
  /** Traffic limits (wg-easy: false). Default true. */
  trafficLimit?: boolean;
  /** Device limits that read back (3x-ui limitIp, Remnawave HWID). Default false. */
  deviceLimit?: boolean;
  /** Used-traffic counters that a test can set and reset. Default true. */
  usageCounters?: boolean;
  /** "Never expires" (Remnawave always has a date: false). Default true. */
  unlimitedExpiry?: boolean;
  /** How far a read-back expiry may be from the one sent (unit rounding). Default 1000 ms. */
  expiryToleranceMs?: number;
  /** A subscription URL per user (wg-easy: false, it delivers a .conf). Default true. */
  subscriptionUrl?: boolean;
  /** Health lists nodes (Marzban, Remnawave); the harness must then give `setNodeConnected`. Default false. */
  nodes?: boolean;
}

const DAY = 86_400_000;
const GB = 1_073_741_824;

/** Everything that identifies the customer's credentials, except Marzban's per-call subscription token. */
// The credentials inside the links, not the links: Marzban renders a random short id and SNI per read.
const credentials = (u: PanelUser): string => JSON.stringify([u.links.map(linkCredential), u.wireguardConfig ?? null]);
const access = (u: PanelUser): string => JSON.stringify([u.subscriptionUrl, u.links.map(linkCredential), u.wireguardConfig ?? null]);

/** A link a customer's app can open: absolute http(s), whatever the panel answered (Marzban may answer `/sub/…`). */
function expectAbsoluteUrl(url: string | null): void {
  expect(url).not.toBeNull();
  const parsed = new URL(url!); // throws on a relative URL
  expect(parsed.protocol).toMatch(/^https?:$/);
  expect(parsed.host).not.toBe('');
}

/**
 * The one behavioural contract every panel adapter must pass against its emulator. Call it from a
 * `*.test.ts` file: `runPanelContract('marzban', async () => ({ adapter, emulator }))`.
 * The signature is stable; new options are optional.
 */
export function runPanelContract(
  name: string,
  makeAdapterAndEmulator: () => Promise<ContractHarness>,
  options: ContractOptions = {},
): void {
  const opts = {
    trafficLimit: true,
    deviceLimit: false,
    usageCounters: true,
    unlimitedExpiry: true,
    expiryToleranceMs: 1_000,
    subscriptionUrl: true,
    nodes: false,
    ...options,
  };

  describe(`panel contract: ${name}`, () => {
    let h: ContractHarness;
    let seq = 0;
    const key = (): string => `vpn_s${Date.now() % 100_000}${++seq}`;
    const spec = (k: string, over: Partial<PanelUserSpec> = {}): PanelUserSpec => ({
      key: k,
      expiresAt: new Date(Math.floor((Date.now() + 30 * DAY) / 1000) * 1000),
      trafficLimitBytes: opts.trafficLimit ? 100 * GB : null,
      deviceLimit: opts.deviceLimit ? 3 : null,
      enabled: true,
      note: 'contract test',
      ...over,
    });
    const expectSpec = (user: PanelUser, s: PanelUserSpec): void => {
      expect(user.key).toBe(s.key);
      expect(user.enabled).toBe(s.enabled);
      if (s.expiresAt === null) expect(user.expiresAt).toBeNull();
      else expect(Math.abs((user.expiresAt?.getTime() ?? 0) - s.expiresAt.getTime())).toBeLessThanOrEqual(opts.expiryToleranceMs);
      if (opts.trafficLimit) expect(user.trafficLimitBytes).toBe(s.trafficLimitBytes);
      if (opts.deviceLimit) expect(user.deviceLimit).toBe(s.deviceLimit);
    };

    beforeEach(async () => {
      h = await makeAdapterAndEmulator();
    });
    afterEach(async () => {
      await h.emulator.close();
    });

    it('connects, reports its version, and is healthy', async () => {
      const { version } = await h.adapter.connect();
      expect(version).toMatch(/\d+\.\d+/);
      const health = await h.adapter.health();
      expect(health.ok).toBe(true);
      expect(health.version).toBe(version);
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    });

    if (opts.nodes) {
      it('lists its nodes in health and reports one that disconnects', async () => {
        expect(h.setNodeConnected).toBeTypeOf('function');
        const setNodeConnected = h.setNodeConnected!;
        const health = await h.adapter.health();
        expect(health.nodes?.length).toBeGreaterThan(0);
        for (const node of health.nodes ?? []) {
          expect(typeof node.name).toBe('string');
          expect(node.connected).toBe(true);
        }
        setNodeConnected(false);
        const after = await h.adapter.health();
        expect(after.ok).toBe(true);
        expect(after.nodes?.filter((n) => !n.connected)).toHaveLength(1);
        setNodeConnected(true);
        expect((await h.adapter.health()).nodes?.every((n) => n.connected)).toBe(true);
      });
    }

    it('ensure creates once, then modifies the same account and keeps its credentials', async () => {
      const k = key();
      const before = h.emulator.userCount();
      const created = await h.adapter.ensureUser(spec(k));
      expectSpec(created, spec(k));
      expect(h.emulator.userCount()).toBe(before + 1);
      if (opts.subscriptionUrl) {
        expectAbsoluteUrl(created.subscriptionUrl);
        expectAbsoluteUrl((await h.adapter.getUser(k))!.subscriptionUrl);
      } else expect(created.subscriptionUrl).toBeNull();

      const changed = spec(k, {
        expiresAt: new Date(spec(k).expiresAt!.getTime() + 30 * DAY),
        trafficLimitBytes: opts.trafficLimit ? 200 * GB : null,
      });
      const modified = await h.adapter.ensureUser(changed);
      expectSpec(modified, changed);
      expect(modified.panelId).toBe(created.panelId);
      expect(credentials(modified)).toBe(credentials(created));
      expect(h.emulator.userCount()).toBe(before + 1);
      expectSpec((await h.adapter.getUser(k))!, changed);
      // Ensuring what is already there changes nothing.
      await h.adapter.ensureUser(changed);
      expect(h.emulator.userCount()).toBe(before + 1);
    });

    it('concurrent ensures of one key leave exactly one account', async () => {
      const k = key();
      const before = h.emulator.userCount();
      const users = await Promise.all([h.adapter.ensureUser(spec(k)), h.adapter.ensureUser(spec(k)), h.adapter.ensureUser(spec(k))]);
      expect(new Set(users.map((u) => u.panelId)).size).toBe(1);
      expect(h.emulator.userCount()).toBe(before + 1);
    });

    it('creates a disabled account when asked, and unlimited where the panel allows', async () => {
      const k = key();
      const s = spec(k, { enabled: false, trafficLimitBytes: null, expiresAt: opts.unlimitedExpiry ? null : spec(k).expiresAt });
      expectSpec(await h.adapter.ensureUser(s), s);
      const read = (await h.adapter.getUser(k))!;
      expectSpec(read, s);
      expect(read.trafficLimitBytes).toBeNull();
    });

    it('get of an unknown key is null', async () => {
      expect(await h.adapter.getUser(`vpn_s_missing${++seq}`)).toBeNull();
    });

    it('disables and enables (idempotently)', async () => {
      const k = key();
      await h.adapter.ensureUser(spec(k));
      await h.adapter.setEnabled(k, false);
      await h.adapter.setEnabled(k, false);
      expect((await h.adapter.getUser(k))!.enabled).toBe(false);
      await h.adapter.setEnabled(k, true);
      await h.adapter.setEnabled(k, true);
      expect((await h.adapter.getUser(k))!.enabled).toBe(true);
    });

    if (opts.usageCounters) {
      it('resets traffic without touching limits, expiry or the enabled switch', async () => {
        const k = key();
        const s = spec(k, { enabled: false });
        await h.adapter.ensureUser(s);
        h.emulator.setUsedTraffic(k, 5 * GB);
        expect((await h.adapter.getUser(k))!.usedTrafficBytes).toBe(5 * GB);
        await h.adapter.resetTraffic(k);
        const after = (await h.adapter.getUser(k))!;
        expect(after.usedTrafficBytes).toBe(0);
        expectSpec(after, s);
      });
    }

    it('revoke gives new access credentials and keeps the account', async () => {
      const k = key();
      const before = await h.adapter.ensureUser(spec(k));
      const count = h.emulator.userCount();
      const revoked = await h.adapter.revokeSubscription(k);
      expect(access(revoked)).not.toBe(access(before));
      if (opts.subscriptionUrl) expectAbsoluteUrl(revoked.subscriptionUrl);
      expect(revoked.key).toBe(k);
      expect(h.emulator.userCount()).toBe(count);
      expect(access((await h.adapter.getUser(k))!)).not.toBe(access(before));
    });

    it('delete removes the account and is idempotent', async () => {
      const k = key();
      const before = h.emulator.userCount();
      await h.adapter.ensureUser(spec(k));
      await h.adapter.deleteUser(k);
      expect(await h.adapter.getUser(k)).toBeNull();
      await h.adapter.deleteUser(k);
      expect(h.emulator.userCount()).toBe(before);
    });

    it('lists users page by page without gaps or repeats', async () => {
      const keys = Array.from({ length: 5 }, key);
      for (const k of keys) await h.adapter.ensureUser(spec(k));
      const seen: string[] = [];
      let total = -1;
      for (let offset = 0; offset < 50; offset += 2) {
        const page = await h.adapter.listUsers({ offset, limit: 2 });
        total = page.total;
        expect(page.users.length).toBeLessThanOrEqual(2);
        seen.push(...page.users.map((u) => u.key));
        if (page.users.length < 2) break;
      }
      expect(total).toBe(h.emulator.userCount());
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(keys));
      expect((await h.adapter.listUsers({ offset: total + 10, limit: 2 })).users).toEqual([]);
    });
  });
}
