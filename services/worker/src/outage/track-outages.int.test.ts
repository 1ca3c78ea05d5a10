import type { Subscription, User } from '@vpn/db';
import { makeServer, makeSubscription } from '@vpn/db/testing';
import { silentLogger } from '@vpn/logger';
import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../testing/worker-harness.js';
import { trackOutages } from './track-outages.js';

// Outage notices: exactly the customers on the server that went down, once per outage, none for
// a short flap; a second notice when it is back, with the compensation days given once.
const h = useWorkerHarness({ replicas: 1 });
const MINUTE = 60_000;

async function customerOn(serverId: number): Promise<{ user: User; sub: Subscription }> {
  const user = await h.customer();
  const sub = await makeSubscription(h.db.repos, { userId: user.id });
  await h.db.repos.vpnAccounts.upsertDesired({ subscriptionId: sub.id, serverId, panelUserKey: `u${user.id}`, desiredVersion: 1 });
  return { user, sub };
}

describe('outage notices', () => {
  it('tell exactly the customers of the server, once, then that it is back, with compensation once', async () => {
    await h.db.repos.settings.set('outage.compensationDays', 2);
    const down = await makeServer(h.db.repos, { name: 'de-1' });
    const other = await makeServer(h.db.repos, { name: 'fi-1' });
    const affected = [await customerOn(down.id), await customerOn(down.id)];
    const bystander = await customerOn(other.id);
    const deps = (at: number) => ({ ...h.deps, clock: () => new Date(Date.now() + at) });
    const track = (at = 0) => trackOutages(deps(at), silentLogger());

    // A flap shorter than the minimum (5 minutes): nothing said.
    await h.db.repos.servers.updateHealth(down.id, 'down', 'connect ECONNREFUSED');
    expect(await track()).toEqual({ notified: 0, restored: 0 });
    await h.db.repos.servers.updateHealth(down.id, 'healthy');
    expect(await track()).toEqual({ notified: 0, restored: 0 });

    // A real outage: told once, however many checks see it down.
    await h.db.repos.servers.updateHealth(down.id, 'down', 'connect ECONNREFUSED');
    await track();
    expect(await track(6 * MINUTE)).toEqual({ notified: 2, restored: 0 });
    expect(await track(7 * MINUTE)).toEqual({ notified: 0, restored: 0 });
    const outageText =
      '⚠️ Сервер de-1, на котором работает ваш VPN, сейчас недоступен. Мы уже чиним его и напишем, как только он заработает.';
    for (const { user } of affected) await h.until(async () => (await h.messagesTo(user)).length === 1, 10_000, 'the outage notice');

    await h.db.repos.servers.updateHealth(down.id, 'healthy');
    expect(await track(8 * MINUTE)).toEqual({ notified: 0, restored: 2 });
    expect(await track(9 * MINUTE)).toEqual({ notified: 0, restored: 0 });
    for (const { user, sub } of affected) {
      await h.until(async () => (await h.messagesTo(user)).length === 2, 10_000, 'the restored notice');
      expect(await h.messagesTo(user)).toEqual([
        outageText,
        '✅ Сервер de-1 снова работает — VPN доступен. За перерыв мы добавили к подписке 2 дня.',
      ]);
      const now = await h.db.repos.subscriptions.get(sub.id);
      expect(now?.endsAt?.getTime()).toBe((sub.endsAt?.getTime() ?? 0) + 2 * 24 * 60 * MINUTE);
    }
    expect(await h.messagesTo(bystander.user)).toEqual([]);
    const audit = await h.db.repos.auditLog.list({ actorKind: 'system' });
    expect(audit.filter((a) => a.action === 'outage.compensation')).toHaveLength(2);
  });

  it('offer the move to a healthy server only while one has room', async () => {
    // Only this test's servers count (the first test's de-1 is healthy again).
    for (const s of await h.db.repos.servers.listActive()) await h.db.repos.servers.update(s.id, { active: false });
    const down = await makeServer(h.db.repos, { name: 'se-1' });
    const spare = await makeServer(h.db.repos, { name: 'ee-1', capacity: 1 });
    await h.db.repos.servers.updateHealth(spare.id, 'healthy');
    const { user } = await customerOn(down.id);
    const track = (at: number) => trackOutages({ ...h.deps, clock: () => new Date(Date.now() + at) }, silentLogger());
    const notice = async () => {
      await h.until(async () => (await h.messagesTo(user)).length > 0, 10_000, 'the outage notice');
      const [message] = await h.telegram.client.getMessages({ chatId: user.telegramId, bot: 'vpn_client_bot' });
      return message!;
    };

    // ee-1 is healthy with room: the notice offers the move, its button names the outage.
    await h.db.repos.servers.updateHealth(down.id, 'down', 'timeout');
    await track(0);
    await track(6 * MINUTE);
    const outage = (await h.db.repos.serverOutages.findOpen(down.id))!;
    const offered = await notice();
    expect(offered.text).toContain('Можно не ждать');
    expect(offered.replyMarkup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual([`n:mv:${outage.id}`]);

    // Next outage, ee-1 full: the notice says nothing of a move.
    await h.db.repos.servers.updateHealth(down.id, 'healthy');
    await track(7 * MINUTE);
    await h.db.repos.servers.setUsersCount(spare.id, 1);
    await h.db.repos.servers.updateHealth(down.id, 'down', 'timeout');
    await track(8 * MINUTE);
    await track(15 * MINUTE);
    await h.until(async () => (await h.messagesTo(user)).length >= 3, 10_000, 'the second outage notice');
    const texts = await h.messagesTo(user);
    expect(texts.at(-1)).toBe(
      '⚠️ Сервер se-1, на котором работает ваш VPN, сейчас недоступен. Мы уже чиним его и напишем, как только он заработает.',
    );
  });
});
