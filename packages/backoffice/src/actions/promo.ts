import { randomBytes } from 'node:crypto';
import { PROMO_KINDS, type PromoCode, type PromoCodeInput, type PromoKind, type PromoUsage } from '@vpn/db';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

/**
 * A promo code: 2..60 of A-Z 0-9 _ -. It then fits the client bot's deep link
 * (`start=promo_<CODE>`, Telegram's 64 characters) and what a customer may type.
 */
export const PROMO_CODE_PATTERN = /^[A-Z0-9_-]{2,60}$/;
/** Codes one batch makes. */
export const PROMO_BATCH_MAX = 500;
/** A batch's prefix: the codes are `<PREFIX>-<8 random characters>`. */
export const PROMO_PREFIX_PATTERN = /^[A-Z0-9]{1,20}$/;
/** Total uses of one code, and uses per customer. */
export const PROMO_USES_MAX = 1_000_000;
export const PROMO_PER_CUSTOMER_MAX = 1_000;
/** How far ahead an expiry may be. */
const MAX_VALID_MS = 3650 * 86_400_000;
/** The value's range per kind: percent off, a fixed amount off in minor units, bonus days. */
export const PROMO_VALUE_RANGE: Readonly<Record<PromoKind, { min: number; max: number }>> = {
  percent: { min: 1, max: 100 },
  fixed: { min: 1, max: 100_000_000 },
  days: { min: 1, max: 3650 },
};
// No 0/O, 1/I/L: codes are read off screens and typed by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** What a code does and its limits; a batch's codes share them. */
export interface PromoTerms {
  kind: PromoKind;
  /** percent: 1..100; fixed: minor units of `currency` (null: the plan's own); days: bonus days. */
  value: number;
  currency?: string | null;
  /** Total uses; null: unlimited. */
  maxUses?: number | null;
  /** Uses per customer (default 1). */
  perUserLimit?: number;
  /** Exclusive end; null: no expiry. */
  validUntil?: Date | null;
  /** Plans it applies to; null: every plan. */
  planIds?: number[] | null;
}
/** One code; without `code` a random one is made. */
export type PromoDraft = PromoTerms & { code?: string | null };
export type PromoBatchDraft = PromoTerms & { prefix: string; count: number };
/** What can change on a code (its kind and value cannot: customers may have been promised them). */
export interface PromoPatch {
  promoId: number;
  active?: boolean;
  maxUses?: number | null;
  perUserLimit?: number;
  validUntil?: Date | null;
}

/** The fields of a code an audit entry keeps. */
function promoSnapshot(p: PromoCode): Record<string, unknown> {
  return {
    code: p.code,
    kind: p.kind,
    value: p.value,
    currency: p.currency,
    maxUses: p.maxUses,
    perUserLimit: p.perUserLimit,
    validUntil: p.validUntil?.toISOString() ?? null,
    planIds: p.planIds,
    active: p.active,
  };
}

const randomPart = (length: number): string => [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

function validLimits(ctx: BackofficeContext, input: Omit<PromoPatch, 'promoId' | 'active'>): Partial<PromoCodeInput> {
  const out: Partial<PromoCodeInput> = {};
  if (input.maxUses !== undefined) out.maxUses = input.maxUses === null ? null : v.intIn('maxUses', input.maxUses, 1, PROMO_USES_MAX);
  if (input.perUserLimit !== undefined) out.perUserLimit = v.intIn('perUserLimit', input.perUserLimit, 1, PROMO_PER_CUSTOMER_MAX);
  if (input.validUntil !== undefined) {
    const at = input.validUntil;
    const now = ctx.now().getTime();
    if (at !== null && (!(at instanceof Date) || !(at.getTime() > now) || at.getTime() > now + MAX_VALID_MS))
      throw new BackofficeError('INVALID_INPUT', 'validUntil: a future date within ten years', 'validUntil', { max: 3650 });
    out.validUntil = at;
  }
  return out;
}

async function validTerms(ctx: BackofficeContext, input: PromoTerms): Promise<Omit<PromoCodeInput, 'code'>> {
  if (!PROMO_KINDS.includes(input.kind))
    throw new BackofficeError('INVALID_INPUT', `kind: one of ${PROMO_KINDS.join(', ')}`, 'kind', { allowed: PROMO_KINDS });
  const range = PROMO_VALUE_RANGE[input.kind];
  const value = v.intIn('value', input.value, range.min, range.max);
  const currency = input.kind === 'fixed' && input.currency ? input.currency.toUpperCase() : null;
  if (currency !== null && !/^[A-Z]{3}$/.test(currency))
    throw new BackofficeError('INVALID_INPUT', 'currency: three letters', 'currency', { pattern: 'AAA' });
  let planIds: number[] | null = null;
  if (input.planIds && input.planIds.length > 0) {
    planIds = [...new Set(input.planIds.map((id) => v.id('planIds', id)))];
    const known = new Set((await ctx.db.repos.plans.listAll()).map((p) => p.id));
    if (planIds.some((id) => !known.has(id))) throw new BackofficeError('NOT_FOUND', 'planIds: no such plan', 'planIds');
  }
  return {
    kind: input.kind,
    value,
    currency,
    maxUses: null,
    perUserLimit: 1,
    validUntil: null,
    planIds,
    ...validLimits(ctx, { maxUses: input.maxUses, perUserLimit: input.perUserLimit, validUntil: input.validUntil }),
  };
}

/** Creates one code (`promo:write`), random when none is given; audited as `promo.create`. A taken code → `DUPLICATE`. */
export async function createPromo(ctx: BackofficeContext, actor: Actor, input: PromoDraft): Promise<PromoCode> {
  authorize(actor, 'promo:write');
  const typed = input.code == null || input.code.trim() === '' ? null : input.code.trim().toUpperCase();
  if (typed !== null && !PROMO_CODE_PATTERN.test(typed))
    throw new BackofficeError('INVALID_INPUT', 'code: 2..60 of A-Z 0-9 _ -', 'code', { min: 2, max: 60 });
  const terms = await validTerms(ctx, input);
  return ctx.db.transaction(async (tx) => {
    const code = typed ?? randomPart(8);
    if ((await ctx.db.repos.promoCodes.takenCodes([code], { transaction: tx })).length > 0)
      throw new BackofficeError('DUPLICATE', `promo code ${code} exists`, 'code');
    const promo = await ctx.db.repos.promoCodes.create({ ...terms, code, createdBy: actor.adminId }, { transaction: tx });
    await audit(ctx.db.repos, tx, actor, { action: 'promo.create', entity: 'promo', entityId: promo.id, after: promoSnapshot(promo) });
    return promo;
  });
}

/**
 * Creates `count` random codes `<PREFIX>-<8 characters>` with the same terms (`promo:write`), all
 * or none, in one transaction; audited once as `promo.batch` with the codes.
 */
export async function createPromoBatch(ctx: BackofficeContext, actor: Actor, input: PromoBatchDraft): Promise<PromoCode[]> {
  authorize(actor, 'promo:write');
  const prefix = String(input.prefix ?? '')
    .trim()
    .toUpperCase();
  if (!PROMO_PREFIX_PATTERN.test(prefix))
    throw new BackofficeError('INVALID_INPUT', 'prefix: 1..20 of A-Z 0-9', 'prefix', { min: 1, max: 20 });
  const count = v.intIn('count', input.count, 1, PROMO_BATCH_MAX);
  const terms = await validTerms(ctx, input);
  return ctx.db.transaction(async (tx) => {
    const codes = new Set<string>();
    // 31^8 codes per prefix: a clash is rare, and a clashing one is drawn again.
    while (codes.size < count) {
      const drawn = Array.from({ length: count - codes.size }, () => `${prefix}-${randomPart(8)}`);
      const taken = new Set(await ctx.db.repos.promoCodes.takenCodes(drawn, { transaction: tx }));
      for (const code of drawn) if (!taken.has(code)) codes.add(code);
    }
    const made: PromoCode[] = [];
    for (const code of codes)
      made.push(await ctx.db.repos.promoCodes.create({ ...terms, code, createdBy: actor.adminId }, { transaction: tx }));
    await audit(ctx.db.repos, tx, actor, {
      action: 'promo.batch',
      entity: 'promo',
      entityId: made[0]!.id,
      after: { ...promoSnapshot(made[0]!), code: undefined },
      details: { prefix, count, codes: made.map((p) => p.code) },
    });
    return made;
  });
}

/** Deactivates or reactivates a code, or changes its limits or expiry (`promo:write`); audited as `promo.update`. */
export async function updatePromo(ctx: BackofficeContext, actor: Actor, input: PromoPatch): Promise<PromoCode> {
  authorize(actor, 'promo:write');
  const promoId = v.id('promoId', input.promoId);
  const patch = { ...validLimits(ctx, input), ...(input.active !== undefined ? { active: Boolean(input.active) } : {}) };
  return ctx.db.transaction(async (tx) => {
    const before = await ctx.db.repos.promoCodes.get(promoId, { transaction: tx });
    if (!before) throw new BackofficeError('NOT_FOUND', `promo code ${promoId} not found`, 'promoId');
    const after = (await ctx.db.repos.promoCodes.update(promoId, patch, { transaction: tx })) ?? before;
    await audit(ctx.db.repos, tx, actor, {
      action: 'promo.update',
      entity: 'promo',
      entityId: promoId,
      before: promoSnapshot(before),
      after: promoSnapshot(after),
    });
    return after;
  });
}

/** A code's usage (`promo:read`): uses, customers, revenue per currency, the latest redemptions. */
export async function promoUsage(ctx: BackofficeContext, actor: Actor, input: { promoId: number; limit?: number }): Promise<PromoUsage> {
  authorize(actor, 'promo:read');
  const promoId = v.id('promoId', input.promoId);
  if (!(await ctx.db.repos.promoCodes.get(promoId))) throw new BackofficeError('NOT_FOUND', `promo code ${promoId} not found`, 'promoId');
  return ctx.db.repos.promoCodes.usage(promoId, { limit: v.intIn('limit', input.limit ?? 10, 1, 50) });
}

/**
 * The link that opens the client bot with `code` kept for the next checkout:
 * `https://t.me/<client bot>?start=promo_<CODE>` (the client bot's `/start` reads it).
 */
export function promoDeepLink(clientBotUsername: string, code: string): string {
  return `https://t.me/${clientBotUsername}?start=promo_${code}`;
}
