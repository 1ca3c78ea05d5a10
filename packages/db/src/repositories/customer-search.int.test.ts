import { describe, expect, it } from 'vitest';
import { makePlan, makeServer, makeSubscription, makeUser, useTestDatabase } from '../testing/index.js';

describe('users.search: staff find a customer by what they have at hand', () => {
  const db = useTestDatabase();

  it('by ids, codes, payment ids, panel username, link and name or username prefix; _ and % are literal', async () => {
    const { repos } = db();
    const anna = await makeUser(repos, { username: 'anna_k', firstName: 'Anna' });
    const annx = await makeUser(repos, { username: 'annaxk', firstName: 'Annabel' });
    const bob = await makeUser(repos, { username: 'bob', firstName: 'Robert' });
    const plan = await makePlan(repos);
    const { payment } = await repos.payments.create({
      userId: bob.id,
      planId: plan.id,
      provider: 'yookassa',
      amountMinor: 100,
      currency: 'RUB',
      idempotencyKey: 'search-test-1',
    });
    await repos.payments.attachExternal(payment.id, { externalId: 'yk-ext-42' });
    const server = await makeServer(repos);
    const sub = await makeSubscription(repos, { userId: anna.id });
    const account = await repos.vpnAccounts.upsertDesired({
      subscriptionId: sub.id,
      serverId: server.id,
      panelUserKey: `vpn_s${sub.id}`,
      desiredVersion: sub.version,
    });
    await repos.vpnAccounts.markSynced(account.id, {
      version: sub.version,
      panelId: 'p',
      subscriptionUrl: 'https://panel.example/sub/TOKEN_1',
      links: [],
    });
    const ids = async (q: string) => (await repos.users.search(q)).map((u) => u.id);

    expect(await ids(String(anna.telegramId))).toEqual([anna.id]);
    expect(await ids(String(bob.id))).toContain(bob.id);
    expect(await ids(bob.referralCode)).toEqual([bob.id]);
    expect(await ids(payment.id)).toEqual([bob.id]);
    expect(await ids(payment.id.toUpperCase())).toEqual([bob.id]);
    expect(await ids('yk-ext-42')).toEqual([bob.id]);
    expect(await ids(`vpn_s${sub.id}`)).toEqual([anna.id]);
    expect(await ids('https://panel.example/sub/TOKEN_1')).toEqual([anna.id]);
    expect(await ids('@ANNA')).toEqual([anna.id, annx.id]);
    // `_` is the underscore, not "any character": anna_k, not annaxk.
    expect(await ids('anna_')).toEqual([anna.id]);
    expect(await ids('rob')).toEqual([bob.id]);
    expect(await ids('%')).toEqual([]);
    expect(await ids('x'.repeat(301))).toEqual([]);
  });
});
