import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '@vpn/telegram-emulator';
import { ADMIN_TEST_TOKEN, startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

describe('admin bot access: owners from ADMIN_IDS, staff by role, silence for everyone else', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('access');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  it('a stranger gets no answer at all, to a command or to text', async () => {
    const owner = await w.staff('owner');
    const stranger = await w.newUser('en', 'Eve');
    await w.tg.start({ from: stranger.id, bot: ADMIN_TEST_TOKEN });
    await w.say(stranger, 'hello?');
    // The owner's answer proves the bot is up and has taken the stranger's updates (one queue, in order).
    expect((await w.menu(owner)).text).toContain(`owner-en · ${owner.t('admin.roles.owner')}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(await w.callsAbout(stranger.id)).toEqual([]);
    expect(w.logs.filter((l) => l.msg === 'update from a non-admin ignored').length).toBeGreaterThanOrEqual(2);
  });

  it('shows each role only the sections it may open, and refuses a section pressed anyway', async () => {
    const owner = await w.staff('owner');
    const support = await w.staff('support', 'ru');
    const ownerMenu = labelsOf(await w.menu(owner));
    expect(ownerMenu).toEqual(expect.arrayContaining([owner.t('admin.admins.menu'), owner.t('admin.audit.menu')]));
    const supportMenu = labelsOf(await w.menu(support));
    expect(supportMenu).not.toContain(support.t('admin.audit.menu'));
    expect(supportMenu).not.toContain(support.t('admin.admins.menu'));
    // Hand-made data of a section the role may not open: refused with an alert, nothing shown.
    const press = w.pressData(support, 'au:o');
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(support.t('admin.errors.forbidden'));
  });

  it('the owner adds an admin with a role, changes the role, revokes access; the revoked one is a stranger again', async () => {
    const owner = await w.staff('owner');
    const t = owner.t;
    const newcomer = await w.newUser('en', 'Nick');
    await w.tg.start({ from: newcomer.id, bot: ADMIN_TEST_TOKEN });

    await w.menu(owner);
    await w.open(owner, t('admin.admins.menu'));
    await w.press(owner, t('admin.admins.add'));
    expect((await w.next(owner)).text).toBe(t('admin.admins.askId'));
    // Bad input names the field and the range, and asks again; nothing changes.
    await w.say(owner, '12abc');
    expect((await w.next(owner)).text).toContain('Telegram id');
    expect((await w.next(owner)).text).toBe(t('admin.admins.askId'));
    await w.say(owner, String(newcomer.id));
    expect((await w.next(owner)).text).toContain(String(newcomer.id));
    await w.press(owner, t('admin.roles.support'));
    const card = await w.nextEdit(owner);
    expect(card.text).toContain(t('admin.roles.support'));
    expect(await w.db.repos.admins.findActiveByTelegramId(newcomer.id)).toMatchObject({ role: 'support' });

    // The newcomer now has a menu; the owner promotes them to finance.
    const menu = await w.menu(newcomer);
    expect(labelsOf(menu)).not.toContain(t('admin.audit.menu'));
    await w.press(owner, t('admin.roles.finance'));
    await w.nextEdit(owner);
    expect(labelsOf(await w.menu(newcomer))).toContain(t('admin.audit.menu'));

    // Revoked: the newcomer's old buttons and commands get no answer any more.
    await w.press(owner, t('admin.admins.remove'));
    await w.nextEdit(owner);
    await w.press(owner, t('admin.common.confirm'));
    await w.nextEdit(owner);
    expect(await w.db.repos.admins.findActiveByTelegramId(newcomer.id)).toBeNull();
    const before = (await w.callsAbout(newcomer.id)).length;
    const press = await w.press(newcomer, t('admin.audit.menu'));
    await w.tg.sendCommand({ from: newcomer.id, bot: ADMIN_TEST_TOKEN, command: 'menu' });
    await w.menu(owner);
    await new Promise((r) => setTimeout(r, 300));
    expect((await w.callsAbout(newcomer.id)).length).toBe(before);
    expect((await w.tg.getCallbackAnswers({ callbackQueryId: press }))[0]?.answered).toBe(false);

    const actions = (await w.db.repos.auditLog.list({ entity: 'admin' })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['admin.create', 'admin.update', 'admin.remove']));
  });

  it('refuses staff management to an admin (no button, and hand-made data refused)', async () => {
    const admin = await w.staff('admin');
    await w.menu(admin);
    const list = await w.open(admin, admin.t('admin.admins.menu'));
    expect(labelsOf(list)).not.toContain(admin.t('admin.admins.add'));
    const press = w.pressData(admin, 'adm:a');
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(admin.t('admin.errors.forbidden'));
  });
});
