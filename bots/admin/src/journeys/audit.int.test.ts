import { makeUser } from '@vpn/db/testing';
import { labelsOf } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

describe('the audit log in the bot: newest first, filtered by admin, customer and action', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('audit');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  it('filters, combines filters, clears them, and pages to older entries', async () => {
    const owner = await w.staff('owner', 'ru');
    const t = owner.t;
    const support = await w.staff('support');
    const ownerActor = (await import('@vpn/backoffice')).loadActor;
    const o = (await ownerActor(w.db, owner.id))!;
    const s = (await ownerActor(w.db, support.id))!;
    const alice = await makeUser(w.db.repos);
    const bob = await makeUser(w.db.repos);
    await w.backoffice.customers.block(s, { userId: alice.id, reason: 'спам_100%' });
    await w.backoffice.customers.unblock(s, { userId: alice.id });
    await w.backoffice.customers.block(o, { userId: bob.id, reason: 'fraud' });
    // Twelve staff changes: more than a page.
    for (let i = 0; i < 12; i++) await w.backoffice.admins.save(o, { telegramId: 900_000 + i, role: 'viewer' });

    await w.menu(owner);
    const all = await w.open(owner, t('admin.audit.menu'));
    expect(all.text).toContain(t('admin.audit.noFilter'));
    expect(all.text!.split('\n').filter((l) => l.startsWith('#')).length).toBe(10);
    expect(all.text).toContain('admin.create');
    const older = await w.open(owner, t('admin.common.older'));
    expect(older.text).toContain('customer.block');

    // By action family.
    await w.press(owner, t('admin.audit.filterAction'));
    await w.nextEdit(owner);
    const customerOnly = await w.open(owner, 'customer');
    const lines = customerOnly.text!.split('\n').filter((l) => l.startsWith('#'));
    expect(lines.length).toBe(3);
    expect(lines.every((l) => l.includes('customer.'))).toBe(true);
    expect(customerOnly.text).toContain('спам_100%');

    // Plus by admin: only support's two.
    await w.press(owner, t('admin.audit.filterAdmin'));
    await w.nextEdit(owner);
    const bySupport = await w.open(owner, 'support-en');
    expect(bySupport.text!.split('\n').filter((l) => l.startsWith('#')).length).toBe(2);

    // Plus by customer: a bad value names the field; then Bob by Telegram id → none by support.
    await w.press(owner, t('admin.audit.filterCustomer'));
    expect((await w.next(owner)).text).toBe(t('admin.audit.askCustomer'));
    await w.say(owner, 'drop table');
    expect((await w.next(owner)).text).toContain(t('admin.fields.customer'));
    await w.next(owner);
    await w.say(owner, String(bob.telegramId));
    const none = await w.next(owner);
    expect(none.text).toContain(t('admin.audit.empty'));
    expect(labelsOf(none)).toContain(t('admin.audit.clear'));

    const cleared = await w.open(owner, t('admin.audit.clear'));
    expect(cleared.text).toContain(t('admin.audit.noFilter'));
  });

  it('is closed to roles without audit:read', async () => {
    const support = await w.staff('support');
    const press = (await w.menu(support), w.pressData(support, 'au:o'));
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(support.t('admin.errors.forbidden'));
  });
});
