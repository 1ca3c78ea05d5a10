import { can } from '@vpn/backoffice';
import { ADMIN_ROLES, type Admin, type AdminRole } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt, invalidInput } from '../../ui/errors.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

const isRole = (role: string | undefined): role is AdminRole => (ADMIN_ROLES as readonly string[]).includes(role ?? '');

/**
 * Staff: who may use the admin and support bots, with which role. Everyone with `admins:read`
 * sees the list; only the owner (`admins:write`) adds, removes and changes roles, through the
 * back office (it keeps the last owner and writes the audit rows).
 */
export function createAdminsSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('adm');
  const { db, backoffice } = deps;

  const line = (ctx: AdminContext, a: Admin) =>
    `${a.active ? '🟢' : '⚪️'} <b>${escapeHtml(a.name ?? '—')}</b> <code>${a.telegramId}</code> · ${ctx.t(`admin.roles.${a.role}`)}`;

  const list = async (ctx: AdminContext) => {
    const admins = await db.repos.admins.list();
    const keyboard = new InlineKeyboard();
    for (const a of admins)
      keyboard.text(`${a.active ? '' : '✖ '}${a.name ?? a.telegramId} · ${ctx.t(`admin.roles.${a.role}`)}`, r.data('v', a.id)).row();
    if (can(ctx.actor, 'admins:write')) keyboard.text(ctx.t('admin.admins.add'), r.data('a')).row();
    keyboard.text(ctx.t('admin.common.menu'), HOME);
    await show(ctx, [ctx.t('admin.admins.title'), '', ...admins.map((a) => line(ctx, a))].join('\n'), keyboard);
  };

  const card = async (ctx: AdminContext, adminId: number) => {
    const target = (await db.repos.admins.list()).find((a) => a.id === adminId);
    if (!target) return list(ctx);
    const keyboard = new InlineKeyboard();
    if (can(ctx.actor, 'admins:write')) {
      ADMIN_ROLES.filter((role) => role !== target.role || !target.active).forEach((role, i) => {
        keyboard.text(ctx.t(`admin.roles.${role}`), r.data('r', target.id, role));
        if (i % 3 === 2) keyboard.row();
      });
      keyboard.row();
      if (target.active) keyboard.text(ctx.t('admin.admins.remove'), r.data('x', target.id)).row();
    }
    keyboard.text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, line(ctx, target), keyboard);
  };

  r.on('v', 'admins:read', (ctx, [id]) => card(ctx, Number(id)));
  r.on('r', 'admins:write', async (ctx, [id, role]) => {
    const target = (await db.repos.admins.list()).find((a) => a.id === Number(id));
    if (!target || !isRole(role)) return list(ctx);
    const saved = await attempt(ctx, () => backoffice.admins.save(ctx.actor, { telegramId: target.telegramId, role, name: target.name }));
    if (saved) await card(ctx, saved.id);
  });
  r.on('x', 'admins:write', async (ctx, [id]) => {
    const keyboard = new InlineKeyboard()
      .text(ctx.t('admin.common.confirm'), r.data('xy', Number(id)))
      .text(ctx.t('admin.common.cancel'), r.data('v', Number(id)));
    await show(ctx, ctx.t('admin.admins.confirmRemove'), keyboard);
  });
  r.on('xy', 'admins:write', async (ctx, [id]) => {
    if (await attempt(ctx, () => backoffice.admins.remove(ctx.actor, { adminId: Number(id) }))) await list(ctx);
  });

  // Adding: the Telegram id (the person must have pressed /start in the bot to be reachable, not to be added), then the role.
  r.on('a', 'admins:write', (ctx) => r.ask(ctx, 'id', ctx.t('admin.admins.askId'), { back: r.data('o') }));
  r.onText('id', 'admins:write', async (ctx, text) => {
    const value = text.trim();
    const telegramId = Number(value);
    if (!/^\d{1,13}$/.test(value) || !Number.isSafeInteger(telegramId) || telegramId < 1) {
      await ctx.reply(invalidInput(ctx, ctx.t('admin.fields.telegramId'), { min: 1, max: 9_999_999_999_999 }));
      return r.ask(ctx, 'id', ctx.t('admin.admins.askId'), { back: r.data('o') });
    }
    const keyboard = new InlineKeyboard();
    ADMIN_ROLES.forEach((role, i) => {
      keyboard.text(ctx.t(`admin.roles.${role}`), r.data('n', telegramId, role));
      if (i % 3 === 2) keyboard.row();
    });
    keyboard.row().text(ctx.t('admin.common.cancel'), r.data('o'));
    await ctx.reply(ctx.t('admin.admins.askRole', { id: telegramId }), { reply_markup: keyboard });
  });
  r.on('n', 'admins:write', async (ctx, [id, role]) => {
    if (!isRole(role)) return list(ctx);
    const saved = await attempt(ctx, () => backoffice.admins.save(ctx.actor, { telegramId: Number(id), role }));
    if (saved) await card(ctx, saved.id);
  });

  return { id: r.id, title: 'admin.admins.menu', permission: 'admins:read', open: list, composer: r.composer };
}
