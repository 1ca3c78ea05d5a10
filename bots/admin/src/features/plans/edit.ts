import { MAX_DAYS, PLAN_DEVICES_MAX, PLAN_PRICE_MAX_MINOR, PLAN_STARS_MAX, PLAN_TRAFFIC_MAX_GIB, type PlanPatch } from '@vpn/backoffice';
import type { Plan } from '@vpn/db';
import type { AdminContext } from '../../context.js';
import { attempt, invalidInput } from '../../ui/errors.js';
import { fail, ok, parseCount, parseCountOrNone, parsePrice, type Parsed } from '../../ui/input.js';
import type { SectionRouter } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

const GIB = 1024 ** 3;
type Patch = Omit<PlanPatch, 'planId'>;

/** One editable field of a plan: its button and question (`admin.plans.edit.<label>`, `admin.plans.ask.<label>`) and its parse. */
interface PlanField {
  label: 'price' | 'stars' | 'days' | 'traffic' | 'devices' | 'ru' | 'en';
  parse(text: string, plan: Plan): Parsed<Patch>;
}

const map = <T>(parsed: Parsed<T>, patch: (value: T) => Patch): Parsed<Patch> => (parsed.ok ? ok(patch(parsed.value)) : parsed);

/** A plan title: 1..64 characters (the back office checks the rest). */
const titleOf = (field: string, text: string): Parsed<string> => {
  const title = text.trim();
  return title.length >= 1 && title.length <= 64 ? ok(title) : fail(field, { min: 1, max: 64 });
};
/** A plan code: 1..32 of a-z 0-9 _ -, stored lower-case. */
const codeOf = (text: string): Parsed<Draft> => {
  const code = text.trim().toLowerCase();
  return /^[a-z0-9_-]{1,32}$/.test(code) ? ok({ code }) : fail('code', { allowed: ['a-z 0-9 _ -, 1…32'] });
};

/** The fields by their one-letter id in callback data (`pl:e:<plan>:<field>`). Titles are checked by the back office. */
export const PLAN_FIELDS = {
  p: { label: 'price', parse: (t) => map(parsePrice('priceMinor', t, PLAN_PRICE_MAX_MINOR), (priceMinor) => ({ priceMinor })) },
  s: { label: 'stars', parse: (t) => map(parseCountOrNone('priceStars', t, 1, PLAN_STARS_MAX), (priceStars) => ({ priceStars })) },
  d: { label: 'days', parse: (t) => map(parseCount('durationDays', t, 1, MAX_DAYS), (durationDays) => ({ durationDays })) },
  t: {
    label: 'traffic',
    parse: (t) =>
      map(parseCountOrNone('trafficGiB', t, 1, PLAN_TRAFFIC_MAX_GIB), (gib) => ({ trafficLimitBytes: gib === null ? null : gib * GIB })),
  },
  n: { label: 'devices', parse: (t) => map(parseCountOrNone('deviceLimit', t, 1, PLAN_DEVICES_MAX), (deviceLimit) => ({ deviceLimit })) },
  r: { label: 'ru', parse: (t, plan) => map(titleOf('title.ru', t), (ru) => ({ title: { ...plan.title, ru } })) },
  e: { label: 'en', parse: (t, plan) => map(titleOf('title.en', t), (en) => ({ title: { ...plan.title, en } })) },
} satisfies Record<string, PlanField>;
type FieldId = keyof typeof PLAN_FIELDS;
/** The field of a callback's or prompt's argument; undefined for anything else. */
const fieldOf = (f: string | undefined): PlanField | undefined =>
  f !== undefined && f in PLAN_FIELDS ? PLAN_FIELDS[f as FieldId] : undefined;
/** How the card lays the field buttons out. */
export const FIELD_ROWS = [
  ['p', 's'],
  ['d', 't', 'n'],
  ['r', 'e'],
] as const;

/** The steps of a new plan, in order: each asks `admin.plans.ask.<label>` and fills the draft. */
const NEW_STEPS = ['code', 'r', 'e', 'd', 'p', 's'] as const;
/** The draft's key each numeric step fills. */
const PLAN_KEYS = { d: 'durationDays', p: 'priceMinor', s: 'priceStars' } as const;
type Draft = { code?: string; title?: { ru: string; en: string } } & Patch;

/**
 * Editing one field of a plan (a question, the typed answer parsed, the back office's update, the
 * card again) and a new plan, one question at a time (code, titles, period, price, Stars price),
 * created hidden so it can be checked before it goes on sale. A refused answer names the field
 * and its range and the question is asked again.
 */
export function installPlanEdits(r: SectionRouter, deps: FeatureDeps, card: (ctx: AdminContext, id: number) => Promise<void>): void {
  const { backoffice, db } = deps;
  const askField = (ctx: AdminContext, id: number, f: string) =>
    r.ask(ctx, 'f', ctx.t(`admin.plans.ask.${fieldOf(f)?.label ?? 'price'}`), { args: [id, f], back: r.data('v', id) });

  r.on('e', 'plans:write', async (ctx, [id, f]) => {
    if (fieldOf(f)) await askField(ctx, Number(id), f!);
  });
  r.onText('f', 'plans:write', async (ctx, text, [id, f]) => {
    const field = fieldOf(f);
    const plan = await db.repos.plans.get(Number(id));
    if (!field || !plan) return;
    const parsed = field.parse(text, plan);
    if (!parsed.ok) {
      await ctx.reply(invalidInput(ctx, parsed.error.field, parsed.error.details));
      return askField(ctx, plan.id, f!);
    }
    if (await attempt(ctx, () => backoffice.plans.update(ctx.actor, { planId: plan.id, ...parsed.value }))) await card(ctx, plan.id);
    else await askField(ctx, plan.id, f!);
  });

  const draftOf = (ctx: AdminContext): Draft => (ctx.session.drafts?.pl as Draft | undefined) ?? {};
  const setDraft = (ctx: AdminContext, draft: Draft) => {
    ctx.session.drafts = { ...ctx.session.drafts, pl: draft };
  };
  const askStep = (ctx: AdminContext, step: (typeof NEW_STEPS)[number]) =>
    r.ask(ctx, `n_${step}`, ctx.t(`admin.plans.ask.${step === 'code' ? 'code' : PLAN_FIELDS[step].label}`), { back: r.data('o') });

  r.on('n', 'plans:write', async (ctx) => {
    setDraft(ctx, {});
    await askStep(ctx, 'code');
  });
  /** The first step the draft still lacks an answer to. */
  const missing = (d: Draft) =>
    NEW_STEPS.find((step) =>
      step === 'code' ? !d.code : step === 'r' ? !d.title?.ru : step === 'e' ? !d.title?.en : d[PLAN_KEYS[step]] === undefined,
    );
  for (const step of NEW_STEPS) {
    r.onText(`n_${step}`, 'plans:write', async (ctx, text) => {
      const draft = draftOf(ctx);
      const title = { ru: draft.title?.ru ?? '', en: draft.title?.en ?? '' };
      const parsed: Parsed<Draft> = step === 'code' ? codeOf(text) : PLAN_FIELDS[step].parse(text, { title } as Plan);
      if (!parsed.ok) {
        await ctx.reply(invalidInput(ctx, parsed.error.field, parsed.error.details));
        return askStep(ctx, step);
      }
      if (parsed.value.code && (await db.repos.plans.findByCode(parsed.value.code))) {
        await ctx.reply(ctx.t('admin.errors.duplicate'));
        return askStep(ctx, step);
      }
      const next = { ...draft, ...parsed.value };
      setDraft(ctx, next);
      const following = missing(next);
      if (following) return askStep(ctx, following);
      const { code = '', title: titles = title, durationDays = 0, priceMinor = 0, priceStars = null } = next;
      const plan = await attempt(ctx, () =>
        backoffice.plans.create(ctx.actor, { code, title: titles, durationDays, priceMinor, priceStars }),
      );
      if (!plan) {
        // Most likely the code was taken meanwhile: ask for another, the rest of the draft stays.
        setDraft(ctx, { ...next, code: undefined });
        return askStep(ctx, 'code');
      }
      setDraft(ctx, {});
      await ctx.reply(ctx.t('admin.plans.created', { code: plan.code }));
      await card(ctx, plan.id);
    });
  }
}
