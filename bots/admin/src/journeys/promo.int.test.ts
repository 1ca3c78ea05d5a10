import { makeUser } from '@vpn/db/testing';
import { labelsOf } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_TEST_USERNAME, startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

const plain = (html: string) => html.replace(/<[^>]+>/g, '');

describe('promo codes: one code and a batch, each with its deep link; usage; deactivate', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('promo');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  it('marketing makes a code one question at a time (bad answers name the field), its card shows the link; usage and deactivation', async () => {
    const marketing = await w.staff('marketing', 'en');
    const t = marketing.t;
    await w.menu(marketing);
    expect((await w.open(marketing, t('admin.promo.menu'))).text).toContain(plain(t('admin.promo.empty')));
    await w.press(marketing, t('admin.promo.add'));
    expect(labelsOf(await w.next(marketing))).toContain(t('admin.promo.kinds.percent'));
    await w.press(marketing, t('admin.promo.kinds.percent'));
    expect((await w.next(marketing)).text).toBe(t('admin.promo.ask.value_percent'));
    const answer = async (text: string) => {
      await w.say(marketing, text);
      return (await w.next(marketing)).text ?? '';
    };
    expect(await answer('150')).toContain('value');
    expect(await w.next(marketing).then((m) => m.text)).toBe(t('admin.promo.ask.value_percent'));
    expect(await answer('20')).toBe(plain(t('admin.promo.ask.code')));
    expect(await answer('spring 25')).toContain('code');
    await w.next(marketing);
    expect(await answer('spring25')).toBe(t('admin.promo.ask.max'));
    expect(await answer('-')).toBe(t('admin.promo.ask.per'));
    expect(await answer('1')).toBe(t('admin.promo.ask.until'));
    expect(await answer('2020-01-01')).toContain('validUntil');
    await w.next(marketing);
    const card = await answer('30');
    expect(card).toContain('SPRING25');
    expect(card).toContain('−20 %');
    expect(card).toContain(`https://t.me/${CLIENT_TEST_USERNAME}?start=promo_SPRING25`);
    const promo = (await w.db.repos.promoCodes.findByCode('SPRING25'))!;
    expect(promo).toMatchObject({ kind: 'percent', value: 20, maxUses: null, perUserLimit: 1, active: true });
    expect(Math.round((promo.validUntil!.getTime() - Date.now()) / 86_400_000)).toBe(30);

    // A customer pays with it: the usage shows the use, who, and the revenue.
    const customer = await makeUser(w.db.repos, { username: 'ann_pays' });
    const m1 = (await w.db.repos.plans.findByCode('m1'))!;
    const { payment } = await w.billing.ledger.createPendingPayment({
      userId: customer.id,
      planId: m1.id,
      provider: 'yookassa',
      idempotencyKey: 'promo-use-1',
      promoCode: 'spring25',
    });
    await w.billing.settlement.settlePayment({ paymentId: payment.id, providerStatus: 'succeeded', amountMinor: 15_920, currency: 'RUB' });
    const usage = await w.open(marketing, t('admin.promo.usage'));
    expect(usage.text).toContain('Uses: 1 · customers: 1');
    expect(usage.text).toContain('159.20 RUB (1)');
    expect(usage.text).toContain('@ann_pays');

    await w.open(marketing, t('admin.common.back'));
    const off = await w.open(marketing, t('admin.promo.deactivate'));
    expect(off.text).toContain(t('admin.promo.state.off'));
    expect((await w.db.repos.promoCodes.get(promo.id))!.active).toBe(false);
    const actions = (await w.db.repos.auditLog.list({ entity: 'promo', entityId: String(promo.id) })).map((e) => e.action);
    expect(actions).toEqual(['promo.update', 'promo.create']);
  });

  it('a batch of random codes with a prefix: the first ones with links in the chat, all of them in a file', async () => {
    const owner = await w.staff('owner', 'ru');
    const t = owner.t;
    await w.menu(owner);
    await w.open(owner, t('admin.promo.menu'));
    await w.press(owner, t('admin.promo.addBatch'));
    await w.next(owner);
    await w.press(owner, t('admin.promo.kinds.days'));
    await w.next(owner);
    const answer = async (text: string) => {
      await w.say(owner, text);
      return (await w.next(owner)).text ?? '';
    };
    await answer('7');
    await answer('bf');
    expect(await answer('600')).toContain('count');
    await w.next(owner);
    for (const text of ['12', '1', '1']) await answer(text);
    const listed = await answer('-');
    expect(listed).toContain(plain(t('admin.promo.batchMade', { n: 12 })));
    const file = await w.next(owner);
    const made = await w.db.repos.promoCodes.list({ limit: 100 });
    const batch = made.filter((p) => p.code.startsWith('BF-'));
    expect(batch).toHaveLength(12);
    for (const p of batch) expect(p).toMatchObject({ kind: 'days', value: 7, maxUses: 1, perUserLimit: 1, validUntil: null });
    expect(listed.match(/promo_BF-/g)).toHaveLength(10);
    expect(file.message.document?.file_name).toBe('promo-BF.txt');
    const text = (await w.tg.downloadFile(file.documentFileId!)).toString('utf8');
    expect(text.trim().split('\n')).toHaveLength(12);
    expect(text).toContain(`${batch[0]!.code}\thttps://t.me/${CLIENT_TEST_USERNAME}?start=promo_${batch[0]!.code}`);
  });

  it('a role without promo:write sees a code but cannot change it, even by a forged press', async () => {
    const viewer = await w.staff('viewer', 'en');
    const admin = (await w.db.repos.admins.findActiveByTelegramId((await w.staff('admin')).id))!;
    const promo = await w.backoffice.promo.create(
      { kind: 'admin', adminId: admin.id, role: 'admin' },
      { code: 'VIEWME', kind: 'days', value: 3 },
    );
    await w.menu(viewer);
    const list = await w.open(viewer, viewer.t('admin.promo.menu'));
    expect(labelsOf(list)).not.toContain(viewer.t('admin.promo.add'));
    const press = w.pressData(viewer, `pr:a:${promo.id}:0`);
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(viewer.t('admin.errors.forbidden'));
    expect((await w.db.repos.promoCodes.get(promo.id))!.active).toBe(true);
  });
});
