import { can, promoDeepLink } from '@vpn/backoffice';
import type { PromoCode } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt } from '../../ui/errors.js';
import { amount, stamp } from '../../ui/format.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { installPromoCreate } from './create.js';

/** Codes per page of the list: one button each. */
const PAGE = 10;

/** What a code does, for staff: `−20 %`, `−150.00 RUB`, `+7 d`. */
export function effectOf(ctx: AdminContext, p: PromoCode): string {
  if (p.kind === 'percent') return `−${p.value} %`;
  if (p.kind === 'days') return ctx.t('admin.promo.bonusDays', { days: p.value });
  return p.currency ? `−${amount(p.value, p.currency)}` : ctx.t('admin.promo.fixedPlanCurrency', { amount: (p.value / 100).toFixed(2) });
}

/** Whether a code can be used now: off, expired, used up, or live. */
const stateOf = (p: PromoCode, now: Date): 'off' | 'expired' | 'usedUp' | 'live' =>
  !p.active ? 'off' : p.validUntil && p.validUntil <= now ? 'expired' : p.maxUses !== null && p.usesCount >= p.maxUses ? 'usedUp' : 'live';
const ICON = { live: '🟢', off: '⚪️', expired: '⌛️', usedUp: '🔚' } as const;

/**
 * Promo codes: the newest first (paged), a code found by typing it, a card with its terms, uses
 * and the deep link that applies it in the client bot (`CLIENT_BOT_USERNAME`), its usage (uses,
 * customers, revenue, the latest redemptions), deactivate / reactivate; making one code or a
 * batch is `create.ts`. Every write goes through the back office (`promo:write`, audited).
 */
export function createPromoSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('pr');
  const { db, backoffice } = deps;

  const list = async (ctx: AdminContext, beforeId?: number) => {
    const page = await db.repos.promoCodes.list({ limit: PAGE + 1, ...(beforeId ? { beforeId } : {}) });
    const shown = page.slice(0, PAGE);
    const now = deps.now();
    const keyboard = new InlineKeyboard();
    for (const p of shown) keyboard.text(`${ICON[stateOf(p, now)]} ${p.code} · ${effectOf(ctx, p)}`, r.data('v', p.id)).row();
    if (page.length > PAGE) keyboard.text(ctx.t('admin.common.older'), r.data('l', shown.at(-1)!.id)).row();
    keyboard.text(ctx.t('admin.promo.find'), r.data('f'));
    if (can(ctx.actor, 'promo:write'))
      keyboard.text(ctx.t('admin.promo.add'), r.data('n', 1)).text(ctx.t('admin.promo.addBatch'), r.data('n', 'b'));
    keyboard.row().text(ctx.t('admin.common.menu'), HOME);
    await show(ctx, [ctx.t('admin.promo.title'), '', shown.length > 0 ? '' : ctx.t('admin.promo.empty')].join('\n').trim(), keyboard);
  };

  /** The deep link of a code, or why there is none. */
  const linkOf = (ctx: AdminContext, code: string) =>
    deps.clientBotUsername ? escapeHtml(promoDeepLink(deps.clientBotUsername, code)) : ctx.t('admin.promo.noLink');

  const card = async (ctx: AdminContext, id: number) => {
    const p = await db.repos.promoCodes.get(id);
    if (!p) return list(ctx);
    const text = ctx.t('admin.promo.card', {
      code: escapeHtml(p.code),
      state: `${ICON[stateOf(p, deps.now())]} ${ctx.t(`admin.promo.state.${stateOf(p, deps.now())}`)}`,
      effect: escapeHtml(effectOf(ctx, p)),
      uses: p.usesCount,
      max: p.maxUses ?? '∞',
      perCustomer: p.perUserLimit,
      until: stamp(p.validUntil),
      plans: p.planIds?.join(', ') ?? ctx.t('admin.promo.allPlans'),
      created: stamp(p.createdAt),
      link: linkOf(ctx, p.code),
    });
    const keyboard = new InlineKeyboard().text(ctx.t('admin.promo.usage'), r.data('u', p.id)).row();
    if (can(ctx.actor, 'promo:write'))
      keyboard.text(ctx.t(p.active ? 'admin.promo.deactivate' : 'admin.promo.activate'), r.data('a', p.id, p.active ? 0 : 1)).row();
    keyboard.text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, text, keyboard);
  };

  const usage = async (ctx: AdminContext, id: number) => {
    const result = await attempt(ctx, () => backoffice.promo.usage(ctx.actor, { promoId: id }));
    if (!result) return;
    const revenue = result.revenue.map((x) => `${amount(x.amountMinor, x.currency)} (${x.payments})`).join(' · ') || '0';
    const lines = [
      ctx.t('admin.promo.usageTitle', { code: escapeHtml(result.code) }),
      ctx.t('admin.promo.usageFigures', { uses: result.uses, customers: result.customers, revenue }),
      '',
      ...(result.recent.length > 0 ? result.recent : []).map(
        (x) =>
          `${stamp(x.at)} · #${x.userId}${x.username ? ` @${escapeHtml(x.username)}` : ''} · ` +
          (x.amountMinor !== null && x.currency ? `${amount(x.amountMinor, x.currency)} ${x.status ?? ''}` : '—'),
      ),
    ];
    if (result.recent.length === 0) lines.push(ctx.t('admin.promo.noUses'));
    const keyboard = new InlineKeyboard().text(ctx.t('admin.common.back'), r.data('v', id));
    await show(ctx, lines.join('\n'), keyboard);
  };

  r.on('l', 'promo:read', (ctx, [before]) => list(ctx, Number(before) > 0 ? Number(before) : undefined));
  r.on('v', 'promo:read', (ctx, [id]) => card(ctx, Number(id)));
  r.on('u', 'promo:read', (ctx, [id]) => usage(ctx, Number(id)));
  r.on('a', 'promo:write', async (ctx, [id, on]) => {
    if (await attempt(ctx, () => backoffice.promo.update(ctx.actor, { promoId: Number(id), active: on === '1' })))
      await card(ctx, Number(id));
  });
  r.on('f', 'promo:read', (ctx) => r.ask(ctx, 'find', ctx.t('admin.promo.ask.find'), { back: r.data('o') }));
  r.onText('find', 'promo:read', async (ctx, text) => {
    const found = /^[A-Za-z0-9_-]{1,64}$/.test(text.trim()) ? await db.repos.promoCodes.findByCode(text) : null;
    if (found) return card(ctx, found.id);
    await ctx.reply(ctx.t('admin.errors.notFound'));
    await r.ask(ctx, 'find', ctx.t('admin.promo.ask.find'), { back: r.data('o') });
  });
  installPromoCreate(r, deps, { card, linkOf });

  return { id: r.id, title: 'admin.promo.menu', permission: 'promo:read', open: (ctx) => list(ctx), composer: r.composer };
}
