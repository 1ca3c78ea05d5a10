import { makeServer, makeSubscription, useTestDatabase } from '@vpn/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelError } from '../adapter.js';
import type { MarzbanEmulator } from '../testing/marzban/marzban.emulator.js';
import { marzbanServerRow } from '../testing/server-rows.js';
import { testPool, usePanelEmulators } from '../testing/use-panel-emulators.js';
import { createWgEasyEmulator, type WgEasyEmulator } from '../testing/wg-easy/index.js';
import { createProvisioningService, ProvisioningError } from './provisioning.service.js';

const DAY = 86_400_000;
const REVOKE = /^POST \/api\/user\/[^/]+\/revoke_sub$/;

describe('key reissue (PostgreSQL + panel emulators)', () => {
  const db = useTestDatabase();
  const panels = usePanelEmulators();
  let marzban: MarzbanEmulator;
  beforeEach(() => {
    marzban = panels.marzban();
  });

  const service = () => createProvisioningService({ db: db(), pool: testPool(db()) });
  const status = async (url: string) => (await fetch(url)).status;
  // Marzban tokens carry whole seconds and a revoke kills those older than its second (spec §7):
  // the old link must be from an earlier second than the revoke, as it is outside a test.
  const nextSecond = () => new Promise((r) => setTimeout(r, 1_001 - (Date.now() % 1_000)));

  async function provisioned() {
    await makeServer(db().repos, { name: 'mz', ...marzbanServerRow(marzban) });
    const sub = await makeSubscription(db().repos);
    const first = await service().provision(sub.id, { reason: 'purchase' });
    await nextSecond();
    return { sub, oldUrl: first.account!.subscriptionUrl! };
  }

  it('revokes the old link on the panel and stores the new one; the same request again rotates nothing', async () => {
    const { sub, oldUrl } = await provisioned();
    expect(await status(oldUrl)).toBe(200);

    const result = await service().reissue(sub.id, 'req-1');
    expect(result).toMatchObject({ outcome: 'reissued', version: 1 });
    const newUrl = result.account.subscriptionUrl!;
    expect(newUrl).toMatch(new RegExp(`^${marzban.url}/sub/`));
    expect(newUrl).not.toBe(oldUrl);
    expect(await status(oldUrl)).toBe(404);
    expect(await status(newUrl)).toBe(200);
    const [row] = await db().repos.vpnAccounts.findBySubscription(sub.id);
    expect(row).toMatchObject({ subscriptionUrl: newUrl, reissueCount: 1, reissuedRequest: 'req-1' });

    // A retried job with the same request id: no second revoke, the same key.
    const again = await service().reissue(sub.id, 'req-1');
    expect(again).toMatchObject({ outcome: 'already_reissued', version: 1 });
    expect(again.account.subscriptionUrl).toBe(newUrl);
    expect(marzban.countRequests(REVOKE)).toBe(1);
    expect(await status(newUrl)).toBe(200);

    // A new request is a new key.
    await nextSecond();
    const next = await service().reissue(sub.id, 'req-2');
    expect(next).toMatchObject({ outcome: 'reissued', version: 2 });
    expect(await status(newUrl)).toBe(404);
    expect(marzban.countRequests(REVOKE)).toBe(2);
  });

  it('the same request three times at once revokes once', async () => {
    const { sub } = await provisioned();
    const svc = service();
    const outcomes = await Promise.all([svc.reissue(sub.id, 'r'), svc.reissue(sub.id, 'r'), svc.reissue(sub.id, 'r')]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_reissued', 'already_reissued', 'reissued']);
    expect(marzban.countRequests(REVOKE)).toBe(1);
    expect(new Set(outcomes.map((o) => o.account.subscriptionUrl)).size).toBe(1);
  });

  it('a revoke applied by the panel whose answer was lost: the retry keeps that key instead of rotating again', async () => {
    const { sub, oldUrl } = await provisioned();
    marzban.faults.dropResponseNext(1, { match: REVOKE, mode: 'hang' });
    const error = await service()
      .reissue(sub.id, 'lost')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PanelError);
    expect(await status(oldUrl)).toBe(404);

    const retried = await service().reissue(sub.id, 'lost');
    expect(retried).toMatchObject({ outcome: 'reissued', version: 1 });
    expect(marzban.countRequests(REVOKE)).toBe(1);
    expect(await status(retried.account.subscriptionUrl!)).toBe(200);
  });

  it('a request resumed after its worker died before the panel call still revokes (re-rendered links and a re-signed URL are no rotation)', async () => {
    const { sub, oldUrl } = await provisioned();
    const [account] = await db().repos.vpnAccounts.findBySubscription(sub.id);
    // What a job that died between the two transactions leaves: the request started, nothing sent.
    await db().repos.vpnAccounts.startReissue(account!.id, 'died');
    // Marzban answers a read with a freshly signed subscription URL (another second, another token)
    // and links with a short id and SNI picked at random (share.py), the same UUID in them.
    const adapter = await testPool(db()).adapterFor(account!.serverId);
    const reads = await Promise.all(Array.from({ length: 6 }, () => adapter.getUser(account!.panelUserKey)));
    expect(reads[0]?.subscriptionUrl).not.toBe(oldUrl);
    expect(new Set(reads.map((r) => r?.links[0])).size).toBeGreaterThan(1);

    const result = await service().reissue(sub.id, 'died');
    expect(result).toMatchObject({ outcome: 'reissued', version: 1 });
    expect(marzban.countRequests(REVOKE)).toBe(1);
    expect(await status(oldUrl)).toBe(404);
    expect(await status(result.account.subscriptionUrl!)).toBe(200);
    const uuidOf = (link: string | undefined) => /^vless:\/\/([^@]+)@/.exec(link ?? '')?.[1];
    expect(uuidOf(result.account.links[0])).toBe(marzban.user(account!.panelUserKey)?.proxies.vless?.id);
    expect(uuidOf(result.account.links[0])).not.toBe(uuidOf(account!.links[0]));
  });

  it('refuses a subscription that is not running, touching no panel', async () => {
    await makeServer(db().repos, { name: 'mz', ...marzbanServerRow(marzban) });
    const sub = await makeSubscription(db().repos, {
      status: 'expired',
      endsAt: new Date(Date.now() - DAY),
      startsAt: new Date(Date.now() - 31 * DAY),
    });
    const error = await service()
      .reissue(sub.id, 'x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisioningError);
    expect(error).toMatchObject({ code: 'not_active' });
    expect(marzban.requests).toHaveLength(0);
  });

  describe('on wg-easy', () => {
    let wg: WgEasyEmulator;
    beforeEach(async () => {
      wg = await createWgEasyEmulator();
    });
    afterEach(() => wg.close());

    it('replaces the WireGuard config (new keys) once', async () => {
      await makeServer(db().repos, { name: 'wg', panelKind: 'wg-easy', baseUrl: wg.url, credentials: { ...wg.credentials }, settings: {} });
      const sub = await makeSubscription(db().repos);
      const first = await service().provision(sub.id, { reason: 'trial' });
      const oldConf = first.account!.wireguardConfig!;
      expect(oldConf).toContain('[Interface]');

      const result = await service().reissue(sub.id, 'wg-1');
      expect(result.outcome).toBe('reissued');
      const newConf = result.account.wireguardConfig!;
      expect(newConf).toContain('[Interface]');
      expect(newConf).not.toBe(oldConf);
      expect(wg.userCount()).toBe(1);
      expect((await db().repos.vpnAccounts.findBySubscription(sub.id))[0]?.wireguardConfig).toBe(newConf);
      expect((await service().reissue(sub.id, 'wg-1')).account.wireguardConfig).toBe(newConf);
    });
  });
});
