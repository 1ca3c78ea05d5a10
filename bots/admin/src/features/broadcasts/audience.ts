import type { BroadcastAudience, Database } from '@vpn/db';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { invalidInput } from '../../ui/errors.js';
import { show, type SectionRouter } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

/** The audiences an admin picks from (one at a time), each a filter of the delivery repository. */
const KINDS = {
  all: {},
  act: { subscription: 'active' },
  tri: { trialOnly: true },
  np: { neverPaid: true },
} as const satisfies Record<string, BroadcastAudience>;
type Kind = keyof typeof KINDS;

/** The audience in words: its kind, plan or server, days and language. */
export async function audienceLabel(ctx: AdminContext, db: Pick<Database, 'repos'>, a: BroadcastAudience): Promise<string> {
  let label: string;
  if (a.planId !== undefined) {
    const plan = (await db.repos.plans.listAll()).find((p) => p.id === a.planId);
    label = ctx.t('admin.broadcasts.aud.plan', { name: plan?.code ?? String(a.planId) });
  } else if (a.serverId !== undefined) {
    const server = await db.repos.servers.get(a.serverId);
    label = ctx.t('admin.broadcasts.aud.server', { name: server?.name ?? String(a.serverId) });
  } else if (a.subscription === 'expired') label = ctx.t('admin.broadcasts.aud.expired', { days: a.expiredWithinDays ?? '∞' });
  else if (a.subscription === 'active') label = ctx.t('admin.broadcasts.aud.act');
  else if (a.trialOnly) label = ctx.t('admin.broadcasts.aud.tri');
  else if (a.neverPaid) label = ctx.t('admin.broadcasts.aud.np');
  else label = ctx.t('admin.broadcasts.aud.all');
  return a.language ? `${label} · ${a.language}` : label;
}

interface AudienceHooks {
  get(ctx: AdminContext): BroadcastAudience;
  set(ctx: AdminContext, audience: BroadcastAudience): Promise<void>;
  /** Callback data of the screen to return to. */
  back: string;
}

/**
 * The audience screen: all, active, expired within N days, trial only, never paid, by plan, by
 * server, and a language filter on top; the count of each choice is shown on the draft's screen.
 */
export function installAudience(r: SectionRouter, deps: FeatureDeps, hooks: AudienceHooks): void {
  const { db } = deps;
  const keep = (ctx: AdminContext) => {
    const language = hooks.get(ctx).language;
    return language ? { language } : {};
  };

  r.on('a', 'broadcasts:write', async (ctx) => {
    const current = hooks.get(ctx);
    const count = await db.repos.broadcasts.countAudience(current);
    const keyboard = new InlineKeyboard();
    (Object.keys(KINDS) as Kind[]).forEach((kind, i) => {
      keyboard.text(ctx.t(`admin.broadcasts.aud.${kind}`), r.data('as', kind));
      if (i % 2 === 1) keyboard.row();
    });
    keyboard
      .text(ctx.t('admin.broadcasts.aud.expiredAsk'), r.data('ae'))
      .row()
      .text(ctx.t('admin.broadcasts.aud.byPlan'), r.data('ap'))
      .text(ctx.t('admin.broadcasts.aud.byServer'), r.data('av'))
      .row();
    for (const lang of ['any', 'ru', 'en'])
      keyboard.text(
        `${(current.language ?? 'any') === lang ? '✓ ' : ''}${ctx.t(`admin.broadcasts.aud.lang.${lang as 'any'}`)}`,
        r.data('al', lang),
      );
    keyboard.row().text(ctx.t('admin.common.back'), hooks.back);
    const text = ctx.t('admin.broadcasts.audienceIs', { audience: await audienceLabel(ctx, db, current), count });
    await show(ctx, `${ctx.t('admin.broadcasts.audienceTitle')}\n\n${text}`, keyboard);
  });
  r.on('as', 'broadcasts:write', (ctx, [kind]) => hooks.set(ctx, { ...(KINDS[kind as Kind] ?? {}), ...keep(ctx) }));
  r.on('al', 'broadcasts:write', (ctx, [lang]) => {
    const { language: _old, ...rest } = hooks.get(ctx);
    return hooks.set(ctx, lang === 'ru' || lang === 'en' ? { ...rest, language: lang } : rest);
  });
  r.on('ae', 'broadcasts:write', (ctx) => r.ask(ctx, 'ed', ctx.t('admin.broadcasts.aud.askDays'), { back: r.data('a') }));
  r.onText('ed', 'broadcasts:write', async (ctx, text) => {
    const days = /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : 0;
    if (days < 1 || days > 3650) {
      await ctx.reply(invalidInput(ctx, ctx.t('admin.fields.days'), { min: 1, max: 3650 }));
      return r.ask(ctx, 'ed', ctx.t('admin.broadcasts.aud.askDays'), { back: r.data('a') });
    }
    await hooks.set(ctx, { subscription: 'expired', expiredWithinDays: days, ...keep(ctx) });
  });
  r.on('ap', 'broadcasts:write', async (ctx, [id]) => {
    if (id) return hooks.set(ctx, { planId: Number(id), ...keep(ctx) });
    const keyboard = new InlineKeyboard();
    for (const p of await db.repos.plans.listActive()) keyboard.text(p.code, r.data('ap', p.id)).row();
    await show(ctx, ctx.t('admin.broadcasts.aud.byPlan'), keyboard.text(ctx.t('admin.common.back'), r.data('a')));
  });
  r.on('av', 'broadcasts:write', async (ctx, [id]) => {
    if (id) return hooks.set(ctx, { serverId: Number(id), ...keep(ctx) });
    const keyboard = new InlineKeyboard();
    for (const s of await db.repos.servers.list()) keyboard.text(s.name, r.data('av', s.id)).row();
    await show(ctx, ctx.t('admin.broadcasts.aud.byServer'), keyboard.text(ctx.t('admin.common.back'), r.data('a')));
  });
}
