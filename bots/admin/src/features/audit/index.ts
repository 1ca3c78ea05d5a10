import type { AuditEntry } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { invalidInput } from '../../ui/errors.js';
import { stamp } from '../../ui/format.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

/** Entries per page: ten short lines stay far below Telegram's 4096 characters. */
const PAGE = 10;
/** The action families an admin filters by (`customer.` → every customer action). */
const FAMILIES = ['customer', 'payment', 'admin', 'server', 'plan', 'promo', 'faq', 'settings', 'alert'] as const;

interface AuditFilter {
  actor?: number;
  user?: number;
  action?: string;
}

/**
 * The audit log, newest first, filtered by admin, by customer and by action family, paged with
 * "older". Read-only (the log is append-only in the database).
 */
export function createAuditSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('au');
  const { db } = deps;
  const filterOf = (ctx: AdminContext): AuditFilter => ctx.session.filters?.au ?? {};
  const setFilter = (ctx: AdminContext, filter: AuditFilter) => {
    ctx.session.filters = { ...ctx.session.filters, au: { ...filter } };
  };

  const entryLine = (e: AuditEntry, names: Map<number, string>) => {
    const who = e.actorKind === 'admin' && e.actorId !== null ? (names.get(e.actorId) ?? `admin #${e.actorId}`) : e.actorKind;
    const reason = typeof e.data.reason === 'string' ? `\n   “${escapeHtml(e.data.reason.slice(0, 120))}”` : '';
    const target = e.entity ? ` → ${escapeHtml(e.entity)} ${escapeHtml(e.entityId ?? '')}` : '';
    return `<code>#${e.id}</code> ${stamp(e.createdAt)} · ${escapeHtml(who)} · <b>${escapeHtml(e.action)}</b>${target}${reason}`;
  };

  const page = async (ctx: AdminContext, beforeId?: number) => {
    const filter = filterOf(ctx);
    const entries = await db.repos.auditLog.list({
      ...(filter.actor !== undefined ? { actorKind: 'admin', actorId: filter.actor } : {}),
      ...(filter.user !== undefined ? { entity: 'user', entityId: String(filter.user) } : {}),
      ...(filter.action !== undefined ? { actionPrefix: `${filter.action}.` } : {}),
      ...(beforeId !== undefined ? { beforeId } : {}),
      limit: PAGE,
    });
    const names = new Map((await db.repos.admins.list()).map((a) => [a.id, a.name ?? String(a.telegramId)]));
    const active = [
      filter.actor !== undefined ? ctx.t('admin.audit.byAdmin', { name: names.get(filter.actor) ?? `#${filter.actor}` }) : null,
      filter.user !== undefined ? ctx.t('admin.audit.byCustomer', { id: filter.user }) : null,
      filter.action !== undefined ? ctx.t('admin.audit.byAction', { action: filter.action }) : null,
    ].filter((x) => x !== null);
    const text = [
      ctx.t('admin.audit.title'),
      active.length > 0 ? active.join(' · ') : ctx.t('admin.audit.noFilter'),
      '',
      entries.length > 0 ? entries.map((e) => entryLine(e, names)).join('\n') : ctx.t('admin.audit.empty'),
    ].join('\n');
    const keyboard = new InlineKeyboard()
      .text(ctx.t('admin.audit.filterAdmin'), r.data('fa'))
      .text(ctx.t('admin.audit.filterCustomer'), r.data('fu'))
      .text(ctx.t('admin.audit.filterAction'), r.data('fc'))
      .row();
    if (active.length > 0) keyboard.text(ctx.t('admin.audit.clear'), r.data('x'));
    const last = entries.at(-1);
    if (entries.length === PAGE && last) keyboard.text(ctx.t('admin.common.older'), r.data('p', last.id));
    keyboard.row().text(ctx.t('admin.common.menu'), HOME);
    await show(ctx, text, keyboard);
  };

  r.on('p', 'audit:read', (ctx, [before]) => page(ctx, Number(before)));
  r.on('x', 'audit:read', async (ctx) => {
    setFilter(ctx, {});
    await page(ctx);
  });
  r.on('fa', 'audit:read', async (ctx) => {
    const keyboard = new InlineKeyboard();
    for (const a of await db.repos.admins.list()) keyboard.text(a.name ?? String(a.telegramId), r.data('a', a.id)).row();
    keyboard.text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, ctx.t('admin.audit.pickAdmin'), keyboard);
  });
  r.on('a', 'audit:read', async (ctx, [id]) => {
    setFilter(ctx, { ...filterOf(ctx), actor: Number(id) });
    await page(ctx);
  });
  r.on('fc', 'audit:read', async (ctx) => {
    const keyboard = new InlineKeyboard();
    FAMILIES.forEach((f, i) => {
      keyboard.text(f, r.data('c', f));
      if (i % 3 === 2) keyboard.row();
    });
    keyboard.row().text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, ctx.t('admin.audit.pickAction'), keyboard);
  });
  r.on('c', 'audit:read', async (ctx, [family]) => {
    if (!FAMILIES.includes(family as (typeof FAMILIES)[number])) return page(ctx);
    setFilter(ctx, { ...filterOf(ctx), action: family });
    await page(ctx);
  });
  // A customer by Telegram id or by our id (`#42`), as the card shows both.
  r.on('fu', 'audit:read', (ctx) => r.ask(ctx, 'user', ctx.t('admin.audit.askCustomer'), { back: r.data('o') }));
  r.onText('user', 'audit:read', async (ctx, text) => {
    const value = text.trim();
    const match = /^#?(\d{1,15})$/.exec(value);
    const n = match ? Number(match[1]) : NaN;
    const user = Number.isSafeInteger(n)
      ? value.startsWith('#')
        ? await db.repos.users.findById(n)
        : ((await db.repos.users.findByTelegramId(n)) ?? (await db.repos.users.findById(n)))
      : null;
    if (!user) {
      await ctx.reply(invalidInput(ctx, ctx.t('admin.fields.customer')) + ctx.t('admin.audit.customerHint'));
      return r.ask(ctx, 'user', ctx.t('admin.audit.askCustomer'), { back: r.data('o') });
    }
    setFilter(ctx, { ...filterOf(ctx), user: user.id });
    await page(ctx);
  });

  return { id: r.id, title: 'admin.audit.menu', permission: 'audit:read', open: (ctx) => page(ctx), composer: r.composer };
}
