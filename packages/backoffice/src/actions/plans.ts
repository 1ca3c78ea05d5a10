import type { Plan, PlanInput } from '@vpn/db';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

/** A price in minor units: up to 1 000 000.00 of the currency. */
export const PLAN_PRICE_MAX_MINOR = 100_000_000;
/** A price in Telegram Stars: Telegram's own ceiling for one invoice is far below this. */
export const PLAN_STARS_MAX = 1_000_000;
/** Devices on one subscription. */
export const PLAN_DEVICES_MAX = 100;
/** Traffic per period, in GiB (the bot's unit; stored in bytes). */
export const PLAN_TRAFFIC_MAX_GIB = 100_000;
const GIB = 1024 ** 3;

/** What an admin sets on a new plan. Created hidden (`active` false) unless said otherwise. */
export interface PlanDraft {
  code: string;
  title: { ru: string; en: string };
  durationDays: number;
  priceMinor: number;
  currency?: string;
  priceStars?: number | null;
  trafficLimitBytes?: number | null;
  deviceLimit?: number | null;
  resetTrafficOnRenew?: boolean;
  active?: boolean;
}

/** What can change on a plan. A change applies from the next checkout: payments already made keep their terms. */
export type PlanPatch = { planId: number } & Partial<Omit<PlanDraft, 'code' | 'currency'>>;

/** The fields of a plan an audit entry keeps. */
export function planSnapshot(p: Plan): Record<string, unknown> {
  return {
    code: p.code,
    title: p.title,
    durationDays: p.durationDays,
    priceMinor: p.priceMinor,
    currency: p.currency,
    priceStars: p.priceStars,
    trafficLimitBytes: p.trafficLimitBytes,
    deviceLimit: p.deviceLimit,
    resetTrafficOnRenew: p.resetTrafficOnRenew,
    active: p.active,
    sortOrder: p.sortOrder,
  };
}

const orNull = <T>(value: T | null | undefined, check: (x: T) => T): T | null | undefined =>
  value === undefined ? undefined : value === null ? null : check(value);

/** The checked fields of a draft or a patch; absent fields stay absent. */
function validFields(input: Partial<PlanDraft>): Partial<PlanInput> {
  const out: Partial<PlanInput> = {};
  if (input.title !== undefined)
    out.title = { ru: v.text('title.ru', input.title?.ru, 1, 64), en: v.text('title.en', input.title?.en, 1, 64) };
  if (input.durationDays !== undefined) out.durationDays = v.days(input.durationDays, 'durationDays');
  if (input.priceMinor !== undefined) out.priceMinor = v.intIn('priceMinor', input.priceMinor, 1, PLAN_PRICE_MAX_MINOR);
  const stars = orNull(input.priceStars, (x) => v.intIn('priceStars', x, 1, PLAN_STARS_MAX));
  if (stars !== undefined) out.priceStars = stars;
  const traffic = orNull(input.trafficLimitBytes, (x) => v.intIn('trafficLimitBytes', x, GIB, PLAN_TRAFFIC_MAX_GIB * GIB));
  if (traffic !== undefined) out.trafficLimitBytes = traffic;
  const devices = orNull(input.deviceLimit, (x) => v.intIn('deviceLimit', x, 1, PLAN_DEVICES_MAX));
  if (devices !== undefined) out.deviceLimit = devices;
  if (input.resetTrafficOnRenew !== undefined) out.resetTrafficOnRenew = Boolean(input.resetTrafficOnRenew);
  if (input.active !== undefined) out.active = Boolean(input.active);
  return out;
}

/**
 * Creates a plan (`plans:write`), hidden unless `active`, last in the list; audited as
 * `plan.create`. A plan with the same code exists → `DUPLICATE`.
 */
export async function createPlan(ctx: BackofficeContext, actor: Actor, input: PlanDraft): Promise<Plan> {
  authorize(actor, 'plans:write');
  const code = v.text('code', input.code, 1, 32).toLowerCase();
  if (!/^[a-z0-9_-]+$/.test(code)) throw new BackofficeError('INVALID_INPUT', 'code: a-z 0-9 _ - only', 'code', { pattern: 'a-z 0-9 _ -' });
  const currency = (input.currency ?? 'RUB').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new BackofficeError('INVALID_INPUT', 'currency: three letters', 'currency', { pattern: 'AAA' });
  const fields = validFields({ ...input, active: input.active ?? false });
  for (const field of ['title', 'durationDays', 'priceMinor'] as const)
    if (fields[field] === undefined) throw new BackofficeError('INVALID_INPUT', `${field}: required`, field);
  return ctx.db.transaction(async (tx) => {
    if (await ctx.db.repos.plans.findByCode(code, { transaction: tx }))
      throw new BackofficeError('DUPLICATE', `plan ${code} exists`, 'code');
    const all = await ctx.db.repos.plans.listAll({ transaction: tx });
    const sortOrder = all.reduce((max, p) => Math.max(max, p.sortOrder), 0) + 10;
    const plan = await ctx.db.repos.plans.create(
      { ...(fields as Omit<PlanInput, 'code'>), code, currency, sortOrder },
      { transaction: tx },
    );
    await audit(ctx.db.repos, tx, actor, { action: 'plan.create', entity: 'plan', entityId: plan.id, after: planSnapshot(plan) });
    return plan;
  });
}

/**
 * Changes a plan's title, price (minor units, Stars), period, limits, reset-on-renew or
 * activity (`plans:write`), audited as `plan.update` with before and after. Payments already
 * created keep their frozen terms, and a checkout already open keeps the terms it showed
 * (billing `offeredPlan`).
 */
export async function updatePlan(ctx: BackofficeContext, actor: Actor, input: PlanPatch): Promise<Plan> {
  authorize(actor, 'plans:write');
  const planId = v.id('planId', input.planId);
  const patch = validFields(input);
  return ctx.db.transaction(async (tx) => {
    const before = await ctx.db.repos.plans.get(planId, { transaction: tx });
    if (!before) throw new BackofficeError('NOT_FOUND', `plan ${planId} not found`, 'planId');
    const after = (await ctx.db.repos.plans.update(planId, patch, { transaction: tx })) ?? before;
    await audit(ctx.db.repos, tx, actor, {
      action: 'plan.update',
      entity: 'plan',
      entityId: planId,
      before: planSnapshot(before),
      after: planSnapshot(after),
    });
    return after;
  });
}

/**
 * Moves a plan one place up or down the list customers see (`plans:write`): the whole list is
 * renumbered 10, 20, 30 … in the new order, so equal sort orders never leave a move without
 * effect. Audited as `plan.reorder` with the order before and after. Already first or last: no change.
 */
export async function movePlan(ctx: BackofficeContext, actor: Actor, input: { planId: number; direction: 'up' | 'down' }): Promise<Plan[]> {
  authorize(actor, 'plans:write');
  const planId = v.id('planId', input.planId);
  if (input.direction !== 'up' && input.direction !== 'down')
    throw new BackofficeError('INVALID_INPUT', 'direction: up or down', 'direction', { allowed: ['up', 'down'] });
  return ctx.db.transaction(async (tx) => {
    const plans = await ctx.db.repos.plans.listAll({ transaction: tx });
    const at = plans.findIndex((p) => p.id === planId);
    if (at < 0) throw new BackofficeError('NOT_FOUND', `plan ${planId} not found`, 'planId');
    const to = input.direction === 'up' ? at - 1 : at + 1;
    if (to < 0 || to >= plans.length) return plans;
    const order = plans.map((p) => p.id);
    [order[at], order[to]] = [order[to]!, order[at]!];
    const moved: Plan[] = [];
    for (const [i, id] of order.entries()) {
      const plan = plans.find((p) => p.id === id)!;
      const sortOrder = (i + 1) * 10;
      moved.push(plan.sortOrder === sortOrder ? plan : ((await ctx.db.repos.plans.update(id, { sortOrder }, { transaction: tx })) ?? plan));
    }
    await audit(ctx.db.repos, tx, actor, {
      action: 'plan.reorder',
      entity: 'plan',
      entityId: planId,
      before: { order: plans.map((p) => p.code) },
      after: { order: moved.map((p) => p.code) },
      details: { direction: input.direction },
    });
    return moved;
  });
}
