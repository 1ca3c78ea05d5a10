import { makeServer, makeSubscription } from '@vpn/db/testing';
import { NOTIFICATION_CALLBACKS } from '@vpn/queues';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientWorld, TEST_BOT_TOKEN, type ClientWorld } from '../testing/client-world.js';

describe('the outage notice button: move to a healthy server', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('outage-move');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  async function customerOn(serverId: number) {
    const user = await w.newUser('ru');
    await w.tg.start({ from: user.id, bot: TEST_BOT_TOKEN });
    await w.next(user);
    await w.next(user);
    const row = (await w.db.repos.users.findByTelegramId(user.id))!;
    const sub = await makeSubscription(w.db.repos, { userId: row.id, serverId });
    return { user, row, sub };
  }
  const press = async (user: Awaited<ReturnType<typeof customerOn>>['user'], outageId: number) => {
    w.pressForged(user, `${NOTIFICATION_CALLBACKS.moveOffOutage}:${outageId}`);
    return (await w.next(user)).text;
  };

  it('moves the customer once, to a healthy server with room, audited as the system; refused when over or nowhere to go', async () => {
    const t = w.i18n.forLanguage('ru');
    const down = await makeServer(w.db.repos, { name: 'de-down' });
    const full = await makeServer(w.db.repos, { name: 'nl-full', capacity: 1 });
    const spare = await makeServer(w.db.repos, { name: 'fi-spare', capacity: 100 });
    await w.db.repos.servers.updateHealth(down.id, 'down', 'connect ECONNREFUSED');
    await w.db.repos.servers.updateHealth(full.id, 'healthy');
    await w.db.repos.servers.updateHealth(spare.id, 'down', 'timeout');
    await w.db.repos.servers.setUsersCount(full.id, 1); // healthy but full
    const outage = await w.db.repos.serverOutages.openFor(down.id);
    const a = await customerOn(down.id);

    // No healthy server with room (nl-full is full, fi-spare is down): nothing moves.
    expect(await press(a.user, outage.id)).toBe(t('client.outage.notNow'));
    expect((await w.db.repos.subscriptions.get(a.sub.id))!.serverId).toBe(down.id);

    // fi-spare is back: the press moves the customer there, once.
    await w.db.repos.servers.updateHealth(spare.id, 'healthy');
    expect(await press(a.user, outage.id)).toBe(t('client.outage.moved', { server: 'fi-spare' }));
    expect((await w.db.repos.subscriptions.get(a.sub.id))!.serverId).toBe(spare.id);
    expect(await press(a.user, outage.id)).toBe(t('client.outage.notNow'));
    const audit = await w.db.repos.auditLog.list({ actionPrefix: 'customer.move' });
    expect(audit.map((e) => [e.actorKind, e.entityId, (e.data as { outageId?: number }).outageId])).toEqual([
      ['system', String(a.row.id), outage.id],
    ]);

    // Once the outage is over, an old button moves nobody.
    const b = await customerOn(down.id);
    await w.db.repos.serverOutages.close(outage.id);
    expect(await press(b.user, outage.id)).toBe(t('client.outage.notNow'));
    expect((await w.db.repos.subscriptions.get(b.sub.id))!.serverId).toBe(down.id);
  });
});
