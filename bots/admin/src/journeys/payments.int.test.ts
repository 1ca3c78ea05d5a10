import { makePlan, makeUser } from '@vpn/db/testing';
import { labelsOf } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TEST_TOKEN, startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

describe('payments: the list, a card with its events, refunds behind a confirmation', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('payments');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  it('a part, then the rest: each confirmed once, access shortened, the ledger and the customer card follow', async () => {
    const finance = await w.staff('finance');
    const t = finance.t;
    const customer = await makeUser(w.db.repos, { username: 'payer' });
    const plan = await makePlan(w.db.repos, { priceMinor: 30_000, currency: 'RUB', durationDays: 30 });
    const payment = await w.purchase(customer.id, plan.id);
    const endsBefore = (await w.db.repos.subscriptions.getCurrentForUser(customer.id))!.endsAt!.getTime();

    await w.menu(finance);
    const list = await w.open(finance, t('admin.payments.menu'));
    expect(list.text).toContain(payment.id.slice(0, 8));
    const card = await w.open(
      finance,
      labelsOf(list).find((l) => l.startsWith('succeeded'))!,
    );
    expect(card.text).toContain(payment.id);
    expect(card.text).toContain('300.00 RUB');

    // Part: a bad amount names the field and the range; 100.00 is asked to be confirmed.
    await w.press(finance, t('admin.payments.refundPart'));
    await w.next(finance);
    await w.say(finance, '1000');
    expect((await w.next(finance)).text).toContain('300.00 RUB');
    await w.next(finance);
    await w.say(finance, '100');
    expect((await w.next(finance)).text).toContain('100.00 RUB');
    const confirmPress = await w.press(finance, t('admin.common.confirm'));
    expect((await w.next(finance)).text).toContain('100.00 RUB');
    await w.nextEdit(finance).catch(() => undefined);
    // The same confirmation pressed again is the same request: no second refund.
    await w.tg.pressButton({ from: finance.id, bot: ADMIN_TEST_TOKEN, text: t('admin.common.confirm') }).catch(() => undefined);
    await w.next(finance).catch(() => undefined);
    expect(confirmPress).toBeTruthy();
    const afterPart = (await w.db.repos.payments.get(payment.id))!;
    expect(afterPart.status).toBe('succeeded');
    expect((afterPart.metadata.refunds as unknown[]).length).toBe(1);
    const endsAfterPart = (await w.db.repos.subscriptions.getCurrentForUser(customer.id))!.endsAt!.getTime();
    expect(endsAfterPart).toBeLessThan(endsBefore);

    // The rest, in full.
    await w.menu(finance);
    await w.open(finance, t('admin.payments.menu'));
    await w.open(
      finance,
      labelsOf((await w.tg.lastMessage({ chatId: finance.id, bot: ADMIN_TEST_TOKEN }))!).find((l) => l.startsWith('succeeded'))!,
    );
    await w.press(finance, t('admin.payments.refundAll'));
    expect((await w.next(finance)).text).toContain('200.00 RUB');
    await w.press(finance, t('admin.common.confirm'));
    expect((await w.next(finance)).text).toContain('refunded');
    expect((await w.db.repos.payments.get(payment.id))!.status).toBe('refunded');

    // The customer's card shows it.
    await w.tg.sendCommand({ from: finance.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: '@payer' });
    expect((await w.next(finance)).text).toContain(`${payment.id.slice(0, 8)}</code> refunded`.replace('</code>', ''));
    const audit = (await w.db.repos.auditLog.list({ actionPrefix: 'payment.refund' })).map((e) => e.action);
    expect(audit.filter((a) => a.startsWith('payment.refund')).length).toBe(2);
  });

  it('support may look but not refund', async () => {
    const support = await w.staff('support');
    const customer = await makeUser(w.db.repos);
    const plan = await makePlan(w.db.repos);
    const payment = await w.purchase(customer.id, plan.id);
    await w.menu(support);
    await w.open(support, support.t('admin.payments.menu'));
    const press = w.pressData(support, `pay:rf:${payment.id}:abcdef12`);
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(support.t('admin.errors.forbidden'));
    expect((await w.db.repos.payments.get(payment.id))!.status).toBe('succeeded');
  });
});
