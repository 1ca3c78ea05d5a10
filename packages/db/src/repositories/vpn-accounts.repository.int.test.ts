import { describe, expect, it } from 'vitest';
import { makeServer, makeSubscription, useTestDatabase } from '../testing/index.js';

describe('vpn accounts and usage snapshots', () => {
  const db = useTestDatabase();
  const accounts = () => db().repos.vpnAccounts;

  const setup = async () => {
    const server = await makeServer(db().repos);
    const sub = await makeSubscription(db().repos, { serverId: server.id });
    return { server, sub, key: `u${sub.userId}_s${sub.id}` };
  };

  it('keeps one row per (server, panel user key) however many provisioners race', async () => {
    const { server, sub, key } = await setup();
    const rows = await Promise.all(
      [1, 3, 2, 3, 1].map((v) =>
        accounts().upsertDesired({
          subscriptionId: sub.id,
          serverId: server.id,
          panelUserKey: key,
          desiredVersion: v,
        }),
      ),
    );
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
    const [account] = await accounts().findBySubscription(sub.id);
    expect(account).toMatchObject({
      serverId: server.id,
      panelUserKey: key,
      desiredVersion: 3,
      syncState: 'pending',
      syncedVersion: null,
      links: [],
    });
    expect(await accounts().findByServerKey(server.id, key)).toMatchObject({ id: account!.id });
  });

  it('records a sync, encrypts the WireGuard config at rest, and ignores a late older sync', async () => {
    const { server, sub, key } = await setup();
    const account = await accounts().upsertDesired({
      subscriptionId: sub.id,
      serverId: server.id,
      panelUserKey: key,
      desiredVersion: 2,
    });
    const wg = '[Interface]\nPrivateKey = cGxhaW4tcHJpdmF0ZS1rZXk=\n';
    const synced = await accounts().markSynced(account.id, {
      version: 2,
      panelId: 'p-1',
      subscriptionUrl: 'https://sub.example/abc',
      links: ['vless://a'],
      wireguardConfig: wg,
    });
    expect(synced).toMatchObject({
      syncState: 'synced',
      syncedVersion: 2,
      panelId: 'p-1',
      links: ['vless://a'],
      wireguardConfig: wg,
      lastError: null,
    });
    const [raw] = (await db().sequelize.query('SELECT wireguard_config FROM vpn_accounts'))[0] as {
      wireguard_config: string;
    }[];
    expect(raw!.wireguard_config).toMatch(/^v1:/);
    expect(raw!.wireguard_config).not.toContain('PrivateKey');

    expect(await accounts().markSynced(account.id, { version: 1, links: ['old'] })).toBeNull();
    expect((await accounts().get(account.id))?.links).toEqual(['vless://a']);

    // A newer desired version reopens the account; a sync of the older one leaves it pending.
    await accounts().upsertDesired({
      subscriptionId: sub.id,
      serverId: server.id,
      panelUserKey: key,
      desiredVersion: 4,
    });
    expect(await accounts().markSynced(account.id, { version: 3 })).toMatchObject({
      syncState: 'pending',
      syncedVersion: 3,
      panelId: 'p-1',
    });
  });

  it('tracks failures and deletion, and lists what needs work', async () => {
    const { server, sub, key } = await setup();
    const a = await accounts().upsertDesired({
      subscriptionId: sub.id,
      serverId: server.id,
      panelUserKey: key,
      desiredVersion: 1,
    });
    await accounts().markFailed(a.id, 'panel timeout');
    expect(await accounts().get(a.id)).toMatchObject({
      syncState: 'failed',
      lastError: 'panel timeout',
    });
    expect((await accounts().listNeedingSync()).map((x) => x.id)).toEqual([a.id]);
    await accounts().markDeleting(a.id);
    await accounts().markFailed(a.id, 'still down');
    expect(await accounts().get(a.id)).toMatchObject({
      syncState: 'deleting',
      lastError: 'still down',
    });
    expect(await accounts().markSynced(a.id, { version: 1 })).toBeNull();
    await accounts().markDeleted(a.id);
    expect(await accounts().listNeedingSync()).toEqual([]);
    expect(await accounts().listByServer(server.id)).toEqual([]);
  });

  it('stores usage snapshots and prunes old ones', async () => {
    const { server, sub, key } = await setup();
    const a = await accounts().upsertDesired({
      subscriptionId: sub.id,
      serverId: server.id,
      panelUserKey: key,
      desiredVersion: 1,
    });
    const old = new Date(Date.now() - 40 * 86_400_000);
    await db().repos.usageSnapshots.add({ vpnAccountId: a.id, usedBytes: 1, takenAt: old });
    await db().repos.usageSnapshots.add({
      vpnAccountId: a.id,
      usedBytes: 6 * 1024 ** 4,
      onlineAt: new Date(),
    });
    expect((await db().repos.usageSnapshots.latest(a.id))?.usedBytes).toBe(6 * 1024 ** 4);
    expect(await db().repos.usageSnapshots.listSince(a.id, new Date(Date.now() - 86_400_000))).toHaveLength(1);
    expect(await db().repos.usageSnapshots.prune(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
  });
});
