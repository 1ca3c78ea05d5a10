import { csvCell } from '@vpn/backoffice';
import { makePayment, makeSubscription, makeUser } from '@vpn/db/testing';
import { labelsOf } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TEST_TOKEN, startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

describe('segment lists with paging, CSV exports, the support topic from the card', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('lists');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });
  const csvOf = async (chatId: number) =>
    (await w.tg.downloadFile((await w.next({ id: chatId } as never)).documentFileId!)).toString('utf8');

  it('pages a segment by id, exports it as an audited CSV (formulas defused), finance may export, support may not', async () => {
    const owner = await w.staff('owner');
    const t = owner.t;
    const ending: number[] = [];
    for (let i = 0; i < 12; i++) {
      const u = await makeUser(w.db.repos, { firstName: i === 0 ? '=HYPERLINK("x")' : `Ending ${i}` });
      await makeSubscription(w.db.repos, { userId: u.id, endsAt: new Date(Date.now() + 86_400_000) });
      ending.push(u.id);
    }
    const later = await makeUser(w.db.repos, { firstName: 'Later' });
    await makeSubscription(w.db.repos, { userId: later.id });

    await w.menu(owner);
    await w.press(owner, t('admin.customers.menu'));
    await w.next(owner);
    const first = await w.open(owner, t('admin.customers.segments.expiring'));
    const ids = (m: { text?: string }) => [...(m.text ?? '').matchAll(/^#(\d+)/gm)].map((x) => Number(x[1]));
    expect(ids(first)).toEqual(ending.slice(-10).reverse());
    expect(first.text).not.toContain('Later');
    const second = await w.open(owner, t('admin.common.older'));
    expect(ids(second)).toEqual(ending.slice(0, 2).reverse());
    expect(labelsOf(second)).not.toContain(t('admin.common.older'));

    await w.press(owner, t('admin.customers.csv'));
    const csv = await csvOf(owner.id);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('id,telegram_id,username,first_name,last_name,language,created_at,trial_used_at,blocked,referral_code');
    expect(lines).toHaveLength(13);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect([csvCell('@cmd'), csvCell(-5), csvCell('a,b'), csvCell(null)]).toEqual(["'@cmd", '-5', '"a,b"', '']);
    expect((await w.db.repos.auditLog.list({ actionPrefix: 'customer.export' }))[0]).toMatchObject({
      entityId: 'expiring',
      data: { rows: 12 },
    });

    // Payments: paged by (created_at, id), exported by status.
    const payer = await makeUser(w.db.repos);
    for (let i = 0; i < 11; i++) await makePayment(w.db.repos, { userId: payer.id, amountMinor: 10_000 + i });
    const finance = await w.staff('finance');
    await w.menu(finance);
    const payments = await w.open(finance, finance.t('admin.payments.menu'));
    expect(labelsOf(payments).filter((l) => l.startsWith('pending ·'))).toHaveLength(10);
    const older = await w.open(finance, finance.t('admin.common.older'));
    expect(labelsOf(older).filter((l) => l.startsWith('pending ·'))).toEqual(['pending · 100.00 RUB · yookassa']);
    await w.press(finance, finance.t('admin.payments.csv'));
    const paymentsCsv = (await csvOf(finance.id)).split('\r\n');
    expect(paymentsCsv.filter((l) => l.includes(',pending,'))).toHaveLength(11);
    expect(paymentsCsv.some((l) => l.includes(',100.10,RUB,'))).toBe(true);

    // Support reads lists but may not export.
    const support = await w.staff('support');
    await w.menu(support);
    await w.press(support, support.t('admin.customers.menu'));
    await w.next(support);
    expect(labelsOf(await w.open(support, support.t('admin.customers.segments.all')))).not.toContain(support.t('admin.customers.csv'));
    const refused = w.pressData(support, 'cu:csv:all');
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: refused })).text).toBe(support.t('admin.errors.forbidden'));
    expect(await w.db.repos.auditLog.list({ actionPrefix: 'customer.export' })).toHaveLength(1);
  });

  it("the card links to the customer's support topic when there is one", async () => {
    const owner = await w.staff('owner');
    const withTopic = await makeUser(w.db.repos, { username: 'topical' });
    await w.db.repos.supportRelays.saveTopic(withTopic.id, -1001234567890, 77);
    await makeUser(w.db.repos, { username: 'notopic' });
    await w.tg.sendCommand({ from: owner.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: '@topical' });
    const card = await w.next(owner);
    const button = card.replyMarkup?.inline_keyboard.flat().find((b) => b.text === owner.t('admin.customers.topic'));
    expect(button?.url).toBe('https://t.me/c/1234567890/77');
    await w.tg.sendCommand({ from: owner.id, bot: ADMIN_TEST_TOKEN, command: 'find', payload: '@notopic' });
    expect(labelsOf(await w.next(owner))).not.toContain(owner.t('admin.customers.topic'));
  });
});
