import { can } from '@vpn/backoffice';
import type { Plan } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt } from '../../ui/errors.js';
import { amount, gibibytes } from '../../ui/format.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { FIELD_ROWS, installPlanEdits, PLAN_FIELDS } from './edit.js';

/** A plan's price for staff: minor units in its currency, and in Stars when it has a Stars price. */
const prices = (p: Plan) => [amount(p.priceMinor, p.currency), ...(p.priceStars !== null ? [amount(p.priceStars, 'XTR')] : [])].join(' · ');

/**
 * Plans and prices: the list in the order customers see it, a card per plan, and what
 * `plans:write` may change through the back office (audited): price in minor units and in Stars,
 * period, traffic and device limits, reset-on-renew, title, on sale or hidden, order; a new plan
 * (`edit.ts`). A change applies from the next checkout: payments made and checkouts open keep
 * the terms they showed (billing `offeredPlan`).
 */
export function createPlansSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('pl');
  const { db, backoffice } = deps;

  const line = (ctx: AdminContext, p: Plan) =>
    `${p.active ? '🟢' : '⚪️'} <b>${escapeHtml(p.title[ctx.i18n.language])}</b> · ${p.durationDays} ${ctx.t('admin.plans.daysShort')} · ${prices(p)}`;

  const list = async (ctx: AdminContext) => {
    const plans = await db.repos.plans.listAll();
    const keyboard = new InlineKeyboard();
    for (const p of plans) keyboard.text(`${p.active ? '🟢' : '⚪️'} ${p.title[ctx.i18n.language]}`, r.data('v', p.id)).row();
    if (can(ctx.actor, 'plans:write')) keyboard.text(ctx.t('admin.plans.add'), r.data('n')).row();
    keyboard.text(ctx.t('admin.common.menu'), HOME);
    const lines = plans.length > 0 ? plans.map((p) => line(ctx, p)) : [ctx.t('admin.plans.empty')];
    await show(ctx, [ctx.t('admin.plans.title'), '', ...lines].join('\n'), keyboard);
  };

  const card = async (ctx: AdminContext, id: number) => {
    const p = await db.repos.plans.get(id);
    if (!p) return list(ctx);
    const unlimited = ctx.t('admin.plans.unlimited');
    const text = ctx.t('admin.plans.card', {
      ru: escapeHtml(p.title.ru),
      en: escapeHtml(p.title.en),
      code: escapeHtml(p.code),
      state: ctx.t(p.active ? 'admin.plans.onSale' : 'admin.plans.hidden'),
      prices: prices(p),
      days: p.durationDays,
      traffic: p.trafficLimitBytes === null ? unlimited : gibibytes(p.trafficLimitBytes),
      reset: ctx.t(p.resetTrafficOnRenew ? 'admin.plans.yes' : 'admin.plans.no'),
      devices: p.deviceLimit ?? unlimited,
      order: p.sortOrder,
    });
    const keyboard = new InlineKeyboard();
    if (can(ctx.actor, 'plans:write')) {
      for (const row of FIELD_ROWS) {
        for (const f of row) keyboard.text(ctx.t(`admin.plans.edit.${PLAN_FIELDS[f].label}`), r.data('e', p.id, f));
        keyboard.row();
      }
      keyboard
        .text(
          ctx.t(p.resetTrafficOnRenew ? 'admin.plans.resetOff' : 'admin.plans.resetOn'),
          r.data('rr', p.id, p.resetTrafficOnRenew ? 0 : 1),
        )
        .row()
        .text(ctx.t(p.active ? 'admin.plans.deactivate' : 'admin.plans.activate'), r.data('a', p.id, p.active ? 0 : 1))
        .row()
        .text(ctx.t('admin.plans.up'), r.data('m', p.id, 'up'))
        .text(ctx.t('admin.plans.down'), r.data('m', p.id, 'down'))
        .row();
    }
    keyboard.text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, text, keyboard);
  };

  r.on('v', 'plans:read', (ctx, [id]) => card(ctx, Number(id)));
  r.on('a', 'plans:write', async (ctx, [id, on]) => {
    if (await attempt(ctx, () => backoffice.plans.update(ctx.actor, { planId: Number(id), active: on === '1' })))
      await card(ctx, Number(id));
  });
  r.on('rr', 'plans:write', async (ctx, [id, on]) => {
    if (await attempt(ctx, () => backoffice.plans.update(ctx.actor, { planId: Number(id), resetTrafficOnRenew: on === '1' })))
      await card(ctx, Number(id));
  });
  r.on('m', 'plans:write', async (ctx, [id, direction]) => {
    if (await attempt(ctx, () => backoffice.plans.move(ctx.actor, { planId: Number(id), direction: direction as 'up' | 'down' })))
      await card(ctx, Number(id));
  });
  installPlanEdits(r, deps, card);

  return { id: r.id, title: 'admin.plans.menu', permission: 'plans:read', open: list, composer: r.composer };
}
