import { PROMO_BATCH_MAX, PROMO_PER_CUSTOMER_MAX, PROMO_USES_MAX, PROMO_VALUE_RANGE, type PromoTerms } from '@vpn/backoffice';
import { PROMO_KINDS, type PromoCode, type PromoKind } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { InlineKeyboard, InputFile } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt, invalidInput } from '../../ui/errors.js';
import { fail, NONE, ok, parseCount, parseCountOrNone, parsePrice, type Parsed } from '../../ui/input.js';
import type { SectionRouter } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

/** A batch's codes listed in the chat (each with its link) up to this many; all of them are in the document. */
const LISTED = 10;
const DAY_MS = 86_400_000;

/** The code(s) being made, between questions (the expiry as an ISO string: the session is JSON). */
interface Draft {
  batch?: boolean;
  kind?: PromoKind;
  value?: number;
  code?: string | null;
  prefix?: string;
  count?: number;
  maxUses?: number | null;
  perUserLimit?: number;
  validUntil?: string | null;
}
type Step = 'value' | 'code' | 'prefix' | 'count' | 'max' | 'per' | 'until';
const STEPS: Record<'one' | 'batch', Step[]> = {
  one: ['value', 'code', 'max', 'per', 'until'],
  batch: ['value', 'prefix', 'count', 'max', 'per', 'until'],
};
/** The draft field each step fills (answered when present, `null` included). */
const FIELD: Record<Step, keyof Draft> = {
  value: 'value',
  code: 'code',
  prefix: 'prefix',
  count: 'count',
  max: 'maxUses',
  per: 'perUserLimit',
  until: 'validUntil',
};
/** The first question the draft has no answer to yet. */
const nextStep = (d: Draft): Step | undefined => STEPS[d.batch ? 'batch' : 'one'].find((step) => !(FIELD[step] in d));

/**
 * An expiry: a number of days from now (`30`) or the last day it works (`2027-01-31`, to its end,
 * UTC), or `-` for none.
 */
export function parseUntil(text: string, now: Date): Parsed<string | null> {
  const t = text.trim();
  if (t === NONE) return ok(null);
  const days = parseCount('validUntil', t, 1, 3650);
  if (days.ok) return ok(new Date(now.getTime() + days.value * DAY_MS).toISOString());
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const end = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1) : NaN;
  const valid =
    match && new Date(end - DAY_MS).toISOString().slice(0, 10) === t && end > now.getTime() && end <= now.getTime() + 3650 * DAY_MS;
  return valid ? ok(new Date(end).toISOString()) : fail('validUntil', { allowed: ['1…3650', 'YYYY-MM-DD', NONE] });
}

/** Parses the answer to `step` into the draft's fields. */
function parseStep(step: Step, text: string, draft: Draft, now: Date): Parsed<Partial<Draft>> {
  const t = text.trim();
  switch (step) {
    case 'value': {
      const kind = draft.kind ?? 'percent';
      const { min, max } = PROMO_VALUE_RANGE[kind];
      const parsed = kind === 'fixed' ? parsePrice('value', t, max) : parseCount('value', t, min, max);
      return parsed.ok ? ok({ value: parsed.value }) : parsed;
    }
    case 'code':
      return t === NONE
        ? ok({ code: null })
        : /^[A-Za-z0-9_-]{2,60}$/.test(t)
          ? ok({ code: t.toUpperCase() })
          : fail('code', { min: 2, max: 60 });
    case 'prefix':
      return /^[A-Za-z0-9]{1,20}$/.test(t) ? ok({ prefix: t.toUpperCase() }) : fail('prefix', { min: 1, max: 20 });
    case 'count': {
      const parsed = parseCount('count', t, 1, PROMO_BATCH_MAX);
      return parsed.ok ? ok({ count: parsed.value }) : parsed;
    }
    case 'max': {
      const parsed = parseCountOrNone('maxUses', t, 1, PROMO_USES_MAX);
      return parsed.ok ? ok({ maxUses: parsed.value }) : parsed;
    }
    case 'per': {
      const parsed = parseCount('perUserLimit', t, 1, PROMO_PER_CUSTOMER_MAX);
      return parsed.ok ? ok({ perUserLimit: parsed.value }) : parsed;
    }
    case 'until': {
      const parsed = parseUntil(t, now);
      return parsed.ok ? ok({ validUntil: parsed.value }) : parsed;
    }
  }
}

/**
 * Making promo codes, one question at a time: one code or a batch → kind (percent off, a fixed
 * amount off in the plan's currency, bonus days) → value → the code (`-`: random) or the batch's
 * prefix and size → total uses → uses per customer → expiry. One code: its card with the deep
 * link. A batch: the first codes with their links in the chat, all of them as a text document.
 */
export function installPromoCreate(
  r: SectionRouter,
  deps: FeatureDeps,
  show: { card: (ctx: AdminContext, id: number) => Promise<void>; linkOf: (ctx: AdminContext, code: string) => string },
): void {
  const draftOf = (ctx: AdminContext): Draft => (ctx.session.drafts?.pr as Draft | undefined) ?? {};
  const setDraft = (ctx: AdminContext, draft: Draft) => {
    ctx.session.drafts = { ...ctx.session.drafts, pr: draft as Record<string, unknown> };
  };
  const ask = (ctx: AdminContext, step: Step) => {
    const key = step === 'value' ? (`value_${draftOf(ctx).kind ?? 'percent'}` as const) : step;
    return r.ask(ctx, `s_${step}`, ctx.t(`admin.promo.ask.${key}`), { back: r.data('o') });
  };

  r.on('n', 'promo:write', async (ctx, [mode]) => {
    setDraft(ctx, { batch: mode === 'b' });
    const keyboard = new InlineKeyboard();
    for (const kind of PROMO_KINDS) keyboard.text(ctx.t(`admin.promo.kinds.${kind}`), r.data('k', kind)).row();
    keyboard.text(ctx.t('admin.common.cancel'), r.data('o'));
    await ctx.reply(ctx.t('admin.promo.ask.kind'), { reply_markup: keyboard });
  });
  r.on('k', 'promo:write', async (ctx, [kind]) => {
    if (!PROMO_KINDS.includes(kind as PromoKind)) return;
    setDraft(ctx, { ...draftOf(ctx), kind: kind as PromoKind });
    await ask(ctx, 'value');
  });

  const retry = (ctx: AdminContext, draft: Draft, step: Step) => {
    const { [FIELD[step]]: _dropped, ...rest } = draft;
    setDraft(ctx, rest);
    return ask(ctx, step);
  };
  const create = async (ctx: AdminContext, draft: Draft) => {
    const terms: PromoTerms = {
      kind: draft.kind ?? 'percent',
      value: draft.value ?? 0,
      maxUses: draft.maxUses ?? null,
      perUserLimit: draft.perUserLimit ?? 1,
      validUntil: draft.validUntil ? new Date(draft.validUntil) : null,
    };
    if (!draft.batch) {
      const made = await attempt(ctx, () => deps.backoffice.promo.create(ctx.actor, { ...terms, code: draft.code ?? null }));
      // Most likely the code is taken: ask for another; the other answers stay.
      if (!made) return retry(ctx, draft, 'code');
      setDraft(ctx, {});
      return show.card(ctx, made.id);
    }
    const made = await attempt(ctx, () =>
      deps.backoffice.promo.createBatch(ctx.actor, { ...terms, prefix: draft.prefix ?? '', count: draft.count ?? 0 }),
    );
    if (!made) return retry(ctx, draft, 'prefix');
    setDraft(ctx, {});
    await sendBatch(ctx, made);
  };

  const sendBatch = async (ctx: AdminContext, codes: PromoCode[]) => {
    const lines = codes.slice(0, LISTED).map((p) => `<code>${escapeHtml(p.code)}</code> ${show.linkOf(ctx, p.code)}`);
    await ctx.reply([ctx.t('admin.promo.batchMade', { n: codes.length }), '', ...lines].join('\n'), {
      link_preview_options: { is_disabled: true },
    });
    const file = codes.map((p) => [p.code, deps.clientBotUsername ? show.linkOf(ctx, p.code) : ''].join('\t').trim()).join('\n');
    await ctx.replyWithDocument(new InputFile(Buffer.from(`${file}\n`, 'utf8'), `promo-${codes[0]!.code.split('-')[0]}.txt`));
  };

  for (const step of new Set([...STEPS.one, ...STEPS.batch])) {
    r.onText(`s_${step}`, 'promo:write', async (ctx, text) => {
      const draft = draftOf(ctx);
      if (!draft.kind) return;
      const parsed = parseStep(step, text, draft, deps.now());
      if (!parsed.ok) {
        await ctx.reply(invalidInput(ctx, parsed.error.field, parsed.error.details));
        return ask(ctx, step);
      }
      const next = { ...draft, ...parsed.value };
      setDraft(ctx, next);
      const following = nextStep(next);
      return following ? ask(ctx, following) : create(ctx, next);
    });
  }
}
