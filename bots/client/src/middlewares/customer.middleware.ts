import type { FirstSeen, TelegramProfile, UsersRepository } from '@vpn/db';
import { Composer, type Context } from 'grammy';
import type { ClientContext } from '../context.js';
import { parseStartPayload } from '../features/start/deep-link.js';
import type { CustomerCache } from '../services/customer-cache.js';

export interface CustomerMiddlewareDeps {
  customers: CustomerCache;
  users: UsersRepository;
}

function profileOf(ctx: Context): TelegramProfile | undefined {
  const from = ctx.from;
  if (!from || from.is_bot) return undefined;
  return {
    telegramId: from.id,
    username: from.username ?? null,
    firstName: from.first_name,
    lastName: from.last_name ?? null,
    languageCode: from.language_code ?? null,
  };
}

/** What a `/start` deep link says about a new customer: who invited them, or which campaign brought them. */
async function firstSeenFrom(ctx: Context, users: UsersRepository): Promise<FirstSeen> {
  const link = ctx.hasCommand('start') ? parseStartPayload(typeof ctx.match === 'string' ? ctx.match : undefined) : undefined;
  if (!link) return {};
  if (link.kind === 'campaign') return { source: link.tag };
  if (link.kind === 'promo') return { source: 'promo' };
  const referrer = await users.findByReferralCode(link.code);
  // Nobody invites themselves (their own link opened from another device before /start ever ran).
  if (!referrer || referrer.telegramId === ctx.from?.id) return {};
  return { referrerId: referrer.id, source: 'referral' };
}

/**
 * Loads (or registers) the customer behind every update and refuses blocked ones politely. Only
 * private chats are served: the client bot has nothing to say in groups. `my_chat_member` keeps
 * `bot_blocked_at` in step with the customer blocking or restarting the bot.
 */
export function customerMiddleware(deps: CustomerMiddlewareDeps): Composer<ClientContext> {
  const composer = new Composer<ClientContext>();

  composer.on('my_chat_member', async (ctx) => {
    if (ctx.chat.type !== 'private') return;
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'kicked') await deps.users.markBotBlocked(ctx.from.id);
    else if (status === 'member') await deps.users.markBotUnblocked(ctx.from.id);
    deps.customers.forget(ctx.from.id);
  });

  composer.use(async (ctx, next) => {
    const profile = profileOf(ctx);
    if (!profile || (ctx.chat && ctx.chat.type !== 'private')) return;
    // /start refreshes the names and is where deep links count; anything else may use the cache.
    const { user, created } = ctx.hasCommand('start')
      ? await deps.customers.upsert(profile, await firstSeenFrom(ctx, deps.users))
      : await deps.customers.load(profile, () => firstSeenFrom(ctx, deps.users));
    ctx.customer = user;
    ctx.customerCreated = created;
    if (user.botBlockedAt) {
      await deps.users.markBotUnblocked(user.telegramId);
      deps.customers.forget(user.telegramId);
    }
    if (user.blocked) {
      ctx.logger.info({ userId: user.id }, 'blocked customer refused');
      await refuseBlocked(ctx);
      return;
    }
    await next();
  });
  return composer;
}

async function refuseBlocked(ctx: ClientContext): Promise<void> {
  const text = ctx.t('client.start.blocked');
  if (ctx.preCheckoutQuery) await ctx.answerPreCheckoutQuery(false, { error_message: text });
  else if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else if (ctx.message) await ctx.reply(text);
}
