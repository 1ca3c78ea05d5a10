import { labelsOf } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

const GIB = 1024 ** 3;

describe('plans and prices: edit, create, hide, order, each checked and audited', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('plans');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  it('edits the price in minor units and Stars, the period and the limits; bad input names the field and changes nothing', async () => {
    const owner = await w.staff('owner', 'en');
    const t = owner.t;
    const m1 = (await w.db.repos.plans.findByCode('m1'))!;
    await w.menu(owner);
    const list = await w.open(owner, t('admin.plans.menu'));
    expect(list.text).toContain('1 month · 30 d · 199.00 RUB · 150 XTR');
    const card = await w.open(owner, '🟢 1 month');
    expect(card.text).toContain('<code>m1</code>'.replace(/<\/?code>/g, ''));
    expect(card.text).toContain('Devices: 3');

    /** Presses a field's button and answers its question with each of `answers`; returns the last reply. */
    const edit = async (label: string, ...answers: string[]) => {
      await w.press(owner, label);
      await w.next(owner);
      let reply = '';
      for (const answer of answers) {
        await w.say(owner, answer);
        reply = (await w.next(owner)).text ?? '';
      }
      return reply;
    };
    // A price that is not one: the field and its range, the question again; nothing changed.
    expect(await edit(t('admin.plans.edit.price'), '-5')).toContain('priceMinor');
    expect((await w.next(owner)).text).toBe(t('admin.plans.ask.price').replace(/<\/?code>/g, ''));
    await w.say(owner, '9999999999');
    expect((await w.next(owner)).text).toContain('priceMinor');
    await w.next(owner);
    expect((await w.db.repos.plans.get(m1.id))!.priceMinor).toBe(19_900);
    await w.say(owner, '249.90');
    expect((await w.next(owner)).text).toContain('249.90 RUB');

    expect(await edit(t('admin.plans.edit.stars'), '200')).toContain('200 XTR');
    expect(await edit(t('admin.plans.edit.days'), '45')).toContain('Period, days: 45');
    expect(await edit(t('admin.plans.edit.traffic'), '50')).toContain('50.00 GiB');
    expect(await edit(t('admin.plans.edit.devices'), '-')).toContain(`Devices: ${t('admin.plans.unlimited')}`);
    expect(await edit(t('admin.plans.edit.en'), 'One month')).toContain('<b>One month</b>'.replace(/<\/?b>/g, ''));
    await w.press(owner, t('admin.plans.resetOff'));
    expect((await w.nextEdit(owner)).text).toContain('reset on renewal: no');
    await w.press(owner, t('admin.plans.deactivate'));
    expect((await w.nextEdit(owner)).text).toContain(t('admin.plans.hidden'));

    expect(await w.db.repos.plans.get(m1.id)).toMatchObject({
      priceMinor: 24_990,
      priceStars: 200,
      durationDays: 45,
      trafficLimitBytes: 50 * GIB,
      deviceLimit: null,
      resetTrafficOnRenew: false,
      active: false,
      title: { ru: '1 месяц', en: 'One month' },
    });
    const audit = await w.db.repos.auditLog.list({ entity: 'plan', entityId: String(m1.id) });
    expect(audit.map((e) => e.action)).toEqual(Array(8).fill('plan.update'));
    expect(audit.at(-1)!.data).toMatchObject({ before: { priceMinor: 19_900 }, after: { priceMinor: 24_990 } });
  });

  it('creates a plan one question at a time, hidden; then puts it on sale and moves it up', async () => {
    const admin = await w.staff('admin', 'ru');
    const t = admin.t;
    await w.menu(admin);
    await w.open(admin, t('admin.plans.menu'));
    await w.press(admin, t('admin.plans.add'));
    expect((await w.next(admin)).text).toBe(t('admin.plans.ask.code').replace(/<\/?code>/g, ''));
    await w.say(admin, 'm1');
    expect((await w.next(admin)).text).toBe(t('admin.errors.duplicate'));
    await w.next(admin);
    for (const answer of ['d10', '10 дней', '10 days', '10', '99', '-']) {
      await w.say(admin, answer);
      await w.next(admin);
    }
    const card = await w.next(admin);
    expect(card.text).toContain(t('admin.plans.hidden'));
    const d10 = (await w.db.repos.plans.findByCode('d10'))!;
    expect(d10).toMatchObject({ durationDays: 10, priceMinor: 9_900, priceStars: null, active: false, currency: 'RUB' });

    await w.press(admin, t('admin.plans.activate'));
    expect((await w.nextEdit(admin)).text).toContain(t('admin.plans.onSale'));
    const before = (await w.db.repos.plans.listAll()).map((p) => p.code);
    expect(before.at(-1)).toBe('d10');
    await w.press(admin, t('admin.plans.up'));
    await w.nextEdit(admin);
    expect((await w.db.repos.plans.listAll()).map((p) => p.code).at(-2)).toBe('d10');
    const actions = (await w.db.repos.auditLog.list({ entity: 'plan', entityId: String(d10.id) })).map((e) => e.action);
    expect(actions.sort()).toEqual(['plan.create', 'plan.reorder', 'plan.update']);
  });

  it('a role without plans:write sees the plans but no edit button, and a forged press is refused', async () => {
    const marketing = await w.staff('marketing', 'en');
    const t = marketing.t;
    const m3 = (await w.db.repos.plans.findByCode('m3'))!;
    await w.menu(marketing);
    await w.open(marketing, t('admin.plans.menu'));
    const card = await w.open(marketing, '🟢 3 months');
    expect(labelsOf(card)).toEqual([t('admin.common.back')]);
    const press = w.pressData(marketing, `pl:e:${m3.id}:p`);
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(t('admin.errors.forbidden'));
    const hide = w.pressData(marketing, `pl:a:${m3.id}:0`);
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: hide })).text).toBe(t('admin.errors.forbidden'));
    expect((await w.db.repos.plans.get(m3.id))!.active).toBe(true);
  });
});
