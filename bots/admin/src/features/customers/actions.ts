import { randomBytes } from 'node:crypto';
import { can, MAX_DAYS, MESSAGE_MAX_LENGTH, type Permission } from '@vpn/backoffice';
import type { User } from '@vpn/db';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt, invalidInput } from '../../ui/errors.js';
import type { SectionRouter } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { installBalanceActions } from './balance.js';

/** A button's idempotency key: pressing it twice (or a retried update) is one request. */
const nonce = () => randomBytes(6).toString('hex');

/** Whole days 1..MAX_DAYS typed by staff, or null. */
const parseDays = (text: string): number | null => {
  const value = text.trim();
  const n = Number(value);
  return /^\d{1,4}$/.test(value) && n >= 1 && n <= MAX_DAYS ? n : null;
};

/**
 * The card's actions, each the back office's function (permission check, validation, audit
 * row): extend, shorten, grant a plan, block / unblock, reissue the key, reset traffic, move to
 * another server, reset the trial, message the customer. Buttons show only what the role may do.
 */
export function installCustomerActions(r: SectionRouter, deps: FeatureDeps, card: (ctx: AdminContext, userId: number) => Promise<void>) {
  const bo = deps.backoffice.customers;
  const reason = (ctx: AdminContext) => ctx.t('admin.customers.reasonBot', { name: ctx.admin.name ?? String(ctx.admin.telegramId) });
  const done = async (ctx: AdminContext, userId: number, result: unknown) => {
    if (result === undefined) return;
    await ctx.reply(ctx.t('admin.customers.done'));
    await card(ctx, userId);
  };
  const askDays = (ctx: AdminContext, prompt: string, args: (string | number)[]) =>
    r.ask(ctx, prompt, ctx.t('admin.customers.askDays', { max: MAX_DAYS }), { args, back: r.data('v', args[0]!) });
  const daysOr = async (ctx: AdminContext, text: string, prompt: string, args: string[]): Promise<number | null> => {
    const days = parseDays(text);
    if (days === null) {
      await ctx.reply(invalidInput(ctx, ctx.t('admin.fields.days'), { min: 1, max: MAX_DAYS }));
      await askDays(ctx, prompt, args);
    }
    return days;
  };

  // Extend / shorten by N days.
  r.on('x', 'customers:extend', (ctx, [id]) => askDays(ctx, 'xd', [id!]));
  r.onText('xd', 'customers:extend', async (ctx, text, args) => {
    const days = await daysOr(ctx, text, 'xd', args);
    const userId = Number(args[0]);
    if (days) await done(ctx, userId, await attempt(ctx, () => bo.extend(ctx.actor, { userId, days, reason: reason(ctx) })));
  });
  r.on('h', 'customers:shorten', (ctx, [id]) => askDays(ctx, 'hd', [id!]));
  r.onText('hd', 'customers:shorten', async (ctx, text, args) => {
    const days = await daysOr(ctx, text, 'hd', args);
    const userId = Number(args[0]);
    if (days) await done(ctx, userId, await attempt(ctx, () => bo.shorten(ctx.actor, { userId, days, reason: reason(ctx) })));
  });
  // Grant a plan: pick it, then the days.
  r.on('g', 'customers:grant_plan', async (ctx, [id]) => {
    const keyboard = new InlineKeyboard();
    for (const plan of await deps.db.repos.plans.listActive())
      keyboard.text(plan.title[ctx.i18n.language], r.data('gp', id!, plan.id)).row();
    keyboard.text(ctx.t('admin.common.back'), r.data('v', id!));
    await ctx.reply(ctx.t('admin.customers.pickPlan'), { reply_markup: keyboard });
  });
  r.on('gp', 'customers:grant_plan', (ctx, [id, planId]) => askDays(ctx, 'gd', [id!, planId!]));
  r.onText('gd', 'customers:grant_plan', async (ctx, text, args) => {
    const days = await daysOr(ctx, text, 'gd', args);
    const userId = Number(args[0]);
    if (days)
      await done(
        ctx,
        userId,
        await attempt(ctx, () => bo.grantPlan(ctx.actor, { userId, planId: Number(args[1]), days, reason: reason(ctx) })),
      );
  });
  // Block with a reason; unblock at once.
  r.on('b', 'customers:block', (ctx, [id]) =>
    r.ask(ctx, 'br', ctx.t('admin.customers.askReason'), { args: [id!], back: r.data('v', id!) }),
  );
  r.onText('br', 'customers:block', async (ctx, text, [id]) => {
    const userId = Number(id);
    await done(ctx, userId, await attempt(ctx, () => bo.block(ctx.actor, { userId, reason: text })));
  });
  r.on('u', 'customers:block', async (ctx, [id]) => {
    const userId = Number(id);
    await done(ctx, userId, await attempt(ctx, () => bo.unblock(ctx.actor, { userId, reason: reason(ctx) })));
  });
  // Queued panel work, once per press (the nonce is the request id).
  r.on('r', 'customers:reissue', async (ctx, [id, key]) => {
    const userId = Number(id);
    await done(ctx, userId, await attempt(ctx, () => bo.reissueKey(ctx.actor, { userId, requestId: key ?? '', reason: reason(ctx) })));
  });
  r.on('t', 'customers:reset_traffic', async (ctx, [id, key]) => {
    const userId = Number(id);
    await done(ctx, userId, await attempt(ctx, () => bo.resetTraffic(ctx.actor, { userId, requestId: key ?? '', reason: reason(ctx) })));
  });
  r.on('rt', 'customers:reset_trial', async (ctx, [id]) => {
    const userId = Number(id);
    await done(ctx, userId, await attempt(ctx, () => bo.resetTrial(ctx.actor, { userId, reason: reason(ctx) })));
  });
  // Move: pick a server.
  r.on('m', 'customers:move', async (ctx, [id]) => {
    const keyboard = new InlineKeyboard();
    for (const s of await deps.db.repos.servers.listActive()) keyboard.text(s.name, r.data('ms', id!, s.id)).row();
    keyboard.text(ctx.t('admin.common.back'), r.data('v', id!));
    await ctx.reply(ctx.t('admin.customers.pickServer'), { reply_markup: keyboard });
  });
  r.on('ms', 'customers:move', async (ctx, [id, serverId]) => {
    const userId = Number(id);
    await done(
      ctx,
      userId,
      await attempt(ctx, () => bo.moveToServer(ctx.actor, { userId, serverId: Number(serverId), reason: reason(ctx) })),
    );
  });
  // Message: the text, sent once (the nonce of the button that asked for it).
  r.on('w', 'customers:message', (ctx, [id]) =>
    r.ask(ctx, 'wt', ctx.t('admin.customers.askMessage', { max: MESSAGE_MAX_LENGTH }), { args: [id!, nonce()], back: r.data('v', id!) }),
  );
  r.onText('wt', 'customers:message', async (ctx, text, [id, key]) => {
    const userId = Number(id);
    await done(ctx, userId, await attempt(ctx, () => bo.message(ctx.actor, { userId, text, requestId: key ?? '' })));
  });

  installBalanceActions(r, deps, done);

  return {
    keyboard(ctx: AdminContext, user: User): InlineKeyboard {
      const keyboard = new InlineKeyboard();
      const buttons: [Permission, string, string][] = [
        ['customers:extend', ctx.t('admin.customers.extend'), r.data('x', user.id)],
        ['customers:shorten', ctx.t('admin.customers.shorten'), r.data('h', user.id)],
        ['customers:grant_plan', ctx.t('admin.customers.grant'), r.data('g', user.id)],
        user.blocked
          ? ['customers:block', ctx.t('admin.customers.unblock'), r.data('u', user.id)]
          : ['customers:block', ctx.t('admin.customers.block'), r.data('b', user.id)],
        ['customers:reissue', ctx.t('admin.customers.reissue'), r.data('r', user.id, nonce())],
        ['customers:reset_traffic', ctx.t('admin.customers.resetTraffic'), r.data('t', user.id, nonce())],
        ['customers:move', ctx.t('admin.customers.move'), r.data('m', user.id)],
        ['customers:reset_trial', ctx.t('admin.customers.resetTrial'), r.data('rt', user.id)],
        ['customers:message', ctx.t('admin.customers.message'), r.data('w', user.id)],
        ['customers:adjust_balance', ctx.t('admin.customers.adjustBalance'), r.data('ab', user.id)],
      ];
      buttons
        .filter(([permission]) => can(ctx.actor, permission))
        .forEach(([, label, data], i) => {
          keyboard.text(label, data);
          if (i % 2 === 1) keyboard.row();
        });
      return keyboard.row().text(ctx.t('admin.customers.again'), r.data('s')).text(ctx.t('admin.common.menu'), 'h:m');
    },
  };
}
