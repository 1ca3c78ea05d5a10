import { randomBytes } from 'node:crypto';
import { can, isBackofficeError, loadActor } from '@vpn/backoffice';
import { escapeHtml } from '@vpn/i18n';
import { Composer, InlineKeyboard } from 'grammy';
import type { Redis } from 'ioredis';
import type { SupportContext } from '../../context.js';
import type { FeatureDeps } from '../../deps.js';
import { CARD_ACTIONS, type ActionState, type CardAction } from './actions.js';
import { cardData } from './render.js';

export interface CardFeatureDeps extends FeatureDeps {
  /** Remembers confirmations already used (a double press of "yes" is one change, whatever the action). */
  redis: Pick<Redis, 'set'>;
  /** Redis key prefix of this bot. */
  prefix: string;
}

/** A confirmation's nonce: 10 hex characters, the back office's request id (a double press is one change). */
const nonce = () => randomBytes(5).toString('hex');

/**
 * The pinned customer card's buttons. "Actions" posts, for the staff member who pressed it, a
 * menu of what their role may do (a fresh admins lookup on every press: a removed admin or a
 * changed role counts at once); each action offers its choices, then asks for confirmation, then
 * runs the back office's function, announces the change in the topic and refreshes the card.
 * "Refresh" rewrites the card at once. Presses by anyone outside the admins table are refused.
 */
export function createCardFeature(deps: CardFeatureDeps): Composer<SupportContext> {
  const composer = new Composer<SupportContext>();
  const byVerb = new Map(CARD_ACTIONS.map((a) => [a.verb, a]));

  const stateOf = async (userId: number): Promise<ActionState | null> => {
    const user = await deps.db.repos.users.findById(userId);
    if (!user) return null;
    const [paid] = await deps.db.repos.payments.listByUser(userId, { limit: 1, status: 'succeeded' });
    return { userId, blocked: user.blocked, lastPaidId: paid?.id ?? null };
  };
  const alert = (ctx: SupportContext, text: string) => ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true });
  const threadOf = (ctx: SupportContext) => {
    const threadId = ctx.callbackQuery?.message?.message_thread_id;
    return threadId === undefined ? {} : { message_thread_id: threadId };
  };

  composer.callbackQuery(/^sc:/, async (ctx) => {
    const [, verb = '', id = '', arg, key] = ctx.callbackQuery.data.split(':');
    const userId = Number(id);
    if (!Number.isSafeInteger(userId) || userId <= 0) return alert(ctx, ctx.t('support.card.gone'));
    const actor = await loadActor(deps.db, ctx.from.id);
    if (!actor) return alert(ctx, ctx.t('support.card.notStaff'));
    if (verb === 'f') {
      await deps.cards.refresh(userId);
      return ctx.answerCallbackQuery({ text: ctx.t('support.card.refreshed') });
    }
    if (verb === 'c') {
      await ctx.answerCallbackQuery();
      return void (await ctx.deleteMessage().catch(() => undefined));
    }
    const state = await stateOf(userId);
    if (!state) return alert(ctx, ctx.t('support.card.gone'));
    if (verb === 'm') {
      const allowed = CARD_ACTIONS.filter((a) => can(actor, a.permission) && (a.when?.(state) ?? true));
      if (allowed.length === 0) return alert(ctx, ctx.t('support.card.nothingAllowed', { role: actor.role }));
      const keyboard = new InlineKeyboard();
      allowed.forEach((a, i) => {
        keyboard.text(ctx.t(a.label), cardData(a.verb, userId));
        if (i % 2 === 1) keyboard.row();
      });
      keyboard.row().text(ctx.t('support.card.cancel'), cardData('c', userId));
      const who = escapeHtml(actor.admin.name ?? ctx.from.first_name);
      await ctx.answerCallbackQuery();
      await ctx.reply(ctx.t('support.card.menu', { who, role: actor.role, id: userId }), { ...threadOf(ctx), reply_markup: keyboard });
      return;
    }
    const action = byVerb.get(verb);
    if (!action) return alert(ctx, ctx.t('support.card.gone'));
    // The role is checked at every step (the back office checks again when it runs).
    if (!can(actor, action.permission)) return alert(ctx, ctx.t('support.card.forbidden', { role: actor.role }));
    if (arg === undefined) return offer(ctx, action, state);
    if (key === undefined) return confirm(ctx, action, userId, arg);
    if ((await deps.redis.set(`${deps.prefix}card:${key}`, '1', 'EX', 86_400, 'NX')) === null)
      return alert(ctx, ctx.t('support.card.already'));
    const reason = ctx.t('support.card.reason', { name: actor.admin.name ?? String(ctx.from.id) });
    try {
      await action.run(deps.backoffice, { actor, userId, arg, requestId: key, reason });
    } catch (error) {
      if (!isBackofficeError(error)) throw error;
      return alert(
        ctx,
        error.code === 'FORBIDDEN'
          ? ctx.t('support.card.forbidden', { role: actor.role })
          : `${ctx.t('support.card.refused')} ${error.message}`,
      );
    }
    await ctx.answerCallbackQuery({ text: ctx.t('support.card.done') });
    const who = escapeHtml(actor.admin.name ?? ctx.from.first_name);
    // The menu becomes the announcement: who did what, seen by everyone in the topic.
    await ctx.editMessageText(`✅ ${ctx.t(action.done, { who, arg: argLabel(action, arg) })}`, { parse_mode: 'HTML' });
    deps.cards.request(userId);
    ctx.logger.info({ userId, action: action.verb, adminId: actor.adminId }, 'card action done');
  });

  const argLabel = (action: CardAction, arg: string) => (action.verb === 'p' ? arg.slice(0, 8) : arg);

  async function offer(ctx: SupportContext, action: CardAction, state: ActionState): Promise<void> {
    if (!action.choices) return confirm(ctx, action, state.userId, '-');
    const choices = await action.choices(state, deps);
    if (choices.length === 0) return void (await alert(ctx, ctx.t('support.card.noChoice')));
    const keyboard = new InlineKeyboard();
    choices.forEach((c, i) => {
      keyboard.text(c.label, cardData(action.verb, state.userId, c.arg));
      if (i % 4 === 3) keyboard.row();
    });
    keyboard.row().text(ctx.t('support.card.cancel'), cardData('c', state.userId));
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t(action.label), { reply_markup: keyboard });
  }

  async function confirm(ctx: SupportContext, action: CardAction, userId: number, arg: string): Promise<void> {
    const keyboard = new InlineKeyboard()
      .text(ctx.t('support.card.yes'), cardData(action.verb, userId, arg, nonce()))
      .text(ctx.t('support.card.cancel'), cardData('c', userId));
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t(action.confirm, { arg: argLabel(action, arg), id: userId }), {
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
  }

  return composer;
}

export { createCardRefresher, type CardRefresher, type CardRefresherDeps } from './refresher.js';
