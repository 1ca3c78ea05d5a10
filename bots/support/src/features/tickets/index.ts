import { Composer, GrammyError } from 'grammy';
import type { SupportContext } from '../../context.js';
import type { FeatureDeps } from '../../deps.js';

type TopicCtx = SupportContext & { message: NonNullable<SupportContext['message']> };

/** Telegram answers TOPIC_NOT_MODIFIED when the topic already is as asked: nothing to do. */
async function ignoringNotModified(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (err instanceof GrammyError && /TOPIC_NOT_MODIFIED/.test(err.description)) return;
    throw err;
  }
}

/**
 * Tickets in the topic: `/close` closes the ticket and the topic, `/reopen` opens both again,
 * `/ban` and `/unban` stop or restart relaying a customer (their subscription is not touched),
 * `/note …` stays in the topic for staff only. A topic closed by hand closes its ticket; the
 * customer's next message opens a new ticket and the worker reopens the topic.
 */
export function createTicketsFeature(deps: FeatureDeps): Composer<SupportContext> {
  const composer = new Composer<SupportContext>();
  const { repos } = deps.db;
  const topicOf = async (ctx: TopicCtx) => {
    const threadId = ctx.message.message_thread_id;
    return threadId === undefined || !ctx.message.is_topic_message
      ? null
      : repos.supportRelays.findTopicByThread(deps.supportChatId, threadId);
  };
  const inTopic = (handler: (ctx: TopicCtx, userId: number, threadId: number) => Promise<void>) => async (ctx: SupportContext) => {
    const c = ctx as TopicCtx;
    const topic = await topicOf(c);
    if (!topic) {
      await ctx.reply(ctx.t('support.tickets.noCustomer'), {
        ...(c.message.message_thread_id ? { message_thread_id: c.message.message_thread_id } : {}),
      });
      return;
    }
    await handler(c, topic.userId, topic.threadId);
  };
  const answer = (ctx: TopicCtx, text: string) => ctx.reply(text, { message_thread_id: ctx.message.message_thread_id! });

  composer.command(
    'close',
    inTopic(async (ctx, userId, threadId) => {
      const ticket = await repos.support.getOpenTicket(userId);
      if (ticket) await repos.support.setStatus(ticket.id, 'closed');
      await answer(ctx, ctx.t('support.tickets.closed'));
      await ignoringNotModified(ctx.api.closeForumTopic(deps.supportChatId, threadId));
      ctx.logger.info({ userId, ticketId: ticket?.id }, 'ticket closed by staff');
    }),
  );
  composer.command(
    'reopen',
    inTopic(async (ctx, userId, threadId) => {
      await ignoringNotModified(ctx.api.reopenForumTopic(deps.supportChatId, threadId));
      const { ticket } = await repos.support.openOrGet({ userId, topicId: threadId });
      await answer(ctx, ctx.t('support.tickets.reopened'));
      ctx.logger.info({ userId, ticketId: ticket.id }, 'ticket reopened by staff');
    }),
  );
  for (const [command, banned] of [
    ['ban', true],
    ['unban', false],
  ] as const) {
    composer.command(
      command,
      inTopic(async (ctx, userId) => {
        await repos.supportRelays.setBanned(userId, banned);
        await answer(ctx, ctx.t(banned ? 'support.tickets.banned' : 'support.tickets.unbanned'));
        ctx.logger.info({ userId, banned, staff: ctx.from?.id }, 'support ban changed');
      }),
    );
  }
  // Assign: `/assign` takes the ticket, `/assign @name` or the command as a reply names a staff member.
  composer.command(
    'assign',
    inTopic(async (ctx, userId) => {
      const ticket = await repos.support.getOpenTicket(userId);
      if (!ticket) return void (await answer(ctx, ctx.t('support.tickets.noTicket')));
      const admin = await assigneeOf(ctx);
      if (!admin) return void (await answer(ctx, ctx.t('support.tickets.assignUnknown')));
      await repos.support.assign(ticket.id, admin.id);
      // Someone has it now: "in progress" until staff answer (then waiting for the customer).
      if (ticket.status === 'open') await repos.support.setStatus(ticket.id, 'pending');
      await answer(ctx, ctx.t('support.tickets.assigned', { name: admin.name ?? `#${admin.id}` }));
      ctx.logger.info({ userId, ticketId: ticket.id, adminId: admin.id }, 'ticket assigned');
    }),
  );
  /** The staff member `/assign` names: the replied-to author, a mention, `@name` as in the admins list, or the sender. */
  async function assigneeOf(ctx: TopicCtx) {
    const message = ctx.message;
    const replied = message.reply_to_message;
    const mention = message.entities?.find((e) => e.type === 'text_mention');
    const named = (typeof ctx.match === 'string' ? ctx.match : '').trim().replace(/^@/, '').toLowerCase();
    if (replied?.from && !replied.from.is_bot && replied.message_id !== message.message_thread_id)
      return repos.admins.findActiveByTelegramId(replied.from.id);
    if (mention?.type === 'text_mention') return repos.admins.findActiveByTelegramId(mention.user.id);
    if (named === '') return ctx.from ? repos.admins.findActiveByTelegramId(ctx.from.id) : null;
    const admins = await repos.admins.list();
    return admins.find((a) => a.active && (a.name ?? '').trim().replace(/^@/, '').toLowerCase() === named) ?? null;
  }
  // A staff-only note: it stays in the topic and is never relayed (the relay skips commands).
  composer.command('note', () => undefined);
  // Closed by hand in Telegram: the ticket follows.
  composer.on('message:forum_topic_closed', async (ctx) => {
    const topic = await topicOf(ctx);
    const ticket = topic ? await repos.support.getOpenTicket(topic.userId) : null;
    if (ticket) await repos.support.setStatus(ticket.id, 'closed');
    ctx.logger.info({ userId: topic?.userId, ticketId: ticket?.id }, 'topic closed by hand: ticket closed');
  });
  return composer;
}
