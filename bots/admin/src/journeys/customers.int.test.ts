import { makeSubscription, makeUser } from '@vpn/db/testing';
import { labelsOf } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TEST_TOKEN, startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

const DAY = 86_400_000;

describe('customers: search and the card with the back office actions', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('customers');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  it('finds a customer by @username and extends them; bad days name the field and change nothing; block needs a reason', async () => {
    const owner = await w.staff('owner', 'ru');
    const t = owner.t;
    const customer = await makeUser(w.db.repos, { username: 'maria_x', firstName: 'Maria' });
    await makeUser(w.db.repos, { username: 'mariaxx', firstName: 'Mariam' });
    const ends = new Date(Date.now() + 10 * DAY);
    const sub = await makeSubscription(w.db.repos, { userId: customer.id, status: 'active', endsAt: ends });

    await w.menu(owner);
    await w.press(owner, t('admin.customers.menu'));
    expect((await w.next(owner)).text).toContain('Telegram id');
    // `_` is literal: only maria_x, straight to the card.
    await w.say(owner, '@MARIA_');
    const card = await w.next(owner);
    expect(card.text).toContain(`#${customer.id}`);
    expect(card.text).toContain('@maria_x');
    expect(labelsOf(card)).toEqual(
      expect.arrayContaining([t('admin.customers.extend'), t('admin.customers.shorten'), t('admin.customers.block')]),
    );

    await w.press(owner, t('admin.customers.extend'));
    expect((await w.next(owner)).text).toContain('3650');
    await w.say(owner, '99999');
    expect((await w.next(owner)).text).toContain(t('admin.fields.days'));
    await w.next(owner);
    expect((await w.db.repos.subscriptions.get(sub.id))?.endsAt?.getTime()).toBe(ends.getTime());
    await w.say(owner, '7');
    expect((await w.next(owner)).text).toBe(t('admin.customers.done'));
    await w.next(owner);
    expect((await w.db.repos.subscriptions.get(sub.id))?.endsAt?.getTime()).toBe(ends.getTime() + 7 * DAY);

    await w.press(owner, t('admin.customers.block'));
    await w.next(owner);
    await w.say(owner, 'chargeback fraud');
    await w.next(owner);
    const blocked = await w.next(owner);
    expect(blocked.text).toContain('chargeback fraud');
    expect((await w.db.repos.users.findById(customer.id))?.blocked).toBe(true);
    const actions = (await w.db.repos.auditLog.list({ entity: 'user', entityId: String(customer.id) })).map((e) => e.action);
    expect(actions).toEqual(['customer.block', 'customer.extend']);
  });

  it('credits and debits a balance with a reason; the card shows it, an overdraft is refused, support sees no button', async () => {
    const owner = await w.staff('owner', 'en');
    const t = owner.t;
    const customer = await makeUser(w.db.repos, { username: 'saver_x' });
    await w.tg.sendCommand({ from: owner.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: '@saver_x' });
    expect((await w.next(owner)).text).toContain('Balance: 0');
    await w.press(owner, t('admin.customers.adjustBalance'));
    await w.next(owner);
    await w.say(owner, 'lots');
    expect((await w.next(owner)).text).toBe(t('admin.customers.badBalanceAmount').replace(/<\/?code>/g, ''));
    await w.next(owner);
    await w.say(owner, '+500');
    expect((await w.next(owner)).text).toContain('Reason for the adjustment');
    await w.say(owner, 'outage compensation');
    expect((await w.next(owner)).text).toBe(t('admin.customers.done'));
    const card = await w.next(owner);
    expect(card.text).toContain('Balance: 500.00 RUB');
    expect(card.text).toContain('+500.00 RUB adjustment · outage compensation');
    await w.press(owner, t('admin.customers.adjustBalance'));
    await w.next(owner);
    await w.say(owner, '-600');
    await w.next(owner);
    await w.say(owner, 'too much');
    expect((await w.next(owner)).text).toContain(t('admin.errors.notAllowed'));
    expect(await w.db.repos.balances.amount(customer.id, 'RUB')).toBe(50_000);
    const actions = (await w.db.repos.auditLog.list({ entity: 'user', entityId: String(customer.id) })).map((e) => e.action);
    expect(actions).toEqual(['customer.balance_adjust']);
    const support = await w.staff('support');
    await w.tg.sendCommand({ from: support.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: '@saver_x' });
    expect(labelsOf(await w.next(support))).not.toContain(support.t('admin.customers.adjustBalance'));
  });

  it('finds by a list when several match, and by /find from anywhere', async () => {
    const owner = await w.staff('owner');
    const a = await makeUser(w.db.repos, { firstName: 'Zorro' });
    const b = await makeUser(w.db.repos, { firstName: 'Zorrina' });
    await w.tg.sendCommand({ from: owner.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: 'zorr' });
    const list = await w.next(owner);
    expect(
      labelsOf(list)
        .filter((l) => l.startsWith('#'))
        .map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual([`#${a.id} Zorro`, `#${b.id} Zorrina`]);
    await w.tg.sendCommand({ from: owner.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: 'nobody-like-this' });
    expect((await w.next(owner)).text).toBe(owner.t('admin.customers.none'));
  });

  it('shows each role only its actions and refuses the rest', async () => {
    const customer = await makeUser(w.db.repos, { username: 'roles_cust' });
    const support = await w.staff('support');
    await w.tg.sendCommand({ from: support.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: '@roles_cust' });
    const card = await w.next(support);
    expect(labelsOf(card)).toContain(support.t('admin.customers.extend'));
    expect(labelsOf(card)).not.toContain(support.t('admin.customers.shorten'));
    expect(labelsOf(card)).not.toContain(support.t('admin.customers.grant'));
    const press = w.pressData(support, `cu:h:${customer.id}`);
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(support.t('admin.errors.forbidden'));

    const marketing = await w.staff('marketing');
    await w.tg.sendCommand({ from: marketing.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: '@roles_cust' });
    expect(labelsOf(await w.next(marketing)).filter((l) => !l.includes('🔎') && !l.includes('«'))).toEqual([]);
  });
});
