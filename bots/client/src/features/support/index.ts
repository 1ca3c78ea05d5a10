import { supportEditOf } from '@vpn/queues';
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { ClientContext } from '../../context.js';
import { truncate } from '../../ui/format.js';
import type { FeatureDeps } from '../feature-deps.js';

/** The subject of a new ticket: the start of the first message, or what kind of message it was. */
function subjectOf(message: Message): string {
  const text = message.text ?? message.caption;
  if (text) return truncate(text.replace(/\s+/g, ' ').trim(), 100);
  return message.photo ? 'photo' : message.document ? 'document' : message.voice ? 'voice' : 'message';
}

/** Album items arrive as separate updates: the relay waits this long so it copies the album whole. */
const ALBUM_SETTLE_MS = 1_500;

/**
 * Records the message in the relay's bookkeeping before queueing its job: the rows keep the order
 * in which the customer wrote (this chat's updates run one at a time), and the worker copies a
 * customer's rows oldest first, each once, whichever job runs first.
 */
async function queueRelay(ctx: ClientContext, deps: FeatureDeps, message: Message, note?: string): Promise<void> {
  const mediaGroupId = message.media_group_id;
  await deps.db.repos.supportRelays.record({
    userId: ctx.customer.id,
    direction: 'in',
    fromChatId: message.chat.id,
    messageId: message.message_id,
    ...(mediaGroupId ? { mediaGroupId } : {}),
    ...(message.reply_to_message ? { replyToMessageId: message.reply_to_message.message_id } : {}),
    ...(note ? { note } : {}),
  });
  await deps.producers.supportRelay.add(
    {
      direction: 'to_topic',
      userId: ctx.customer.id,
      fromChatId: message.chat.id,
      messageId: message.message_id,
      ...(note ? { note } : {}),
    },
    mediaGroupId ? { delay: ALBUM_SETTLE_MS } : {},
  );
}

/**
 * Relays one customer message to support: the customer's open ticket (opened on the first
 * message), then a `support-relay` job that copies the message into their forum topic (the support
 * bot's side). The message links are recorded by the relay, which knows the copy's id.
 */
export async function relayToSupport(ctx: ClientContext, deps: FeatureDeps, message: Message): Promise<boolean> {
  const { ticket, created } = await deps.db.repos.support.openOrGet({ userId: ctx.customer.id, subject: subjectOf(message) });
  if (!created) await deps.db.repos.support.touch(ticket.id, 'open');
  await queueRelay(ctx, deps, message);
  ctx.logger.info({ ticketId: ticket.id, messageId: message.message_id, created }, 'message relayed to support');
  return created;
}

/** Room the relay's note leaves below its contract limit for the support bot's own header. */
const NOTE_MAX = 3_500;

/**
 * Opens (or reuses) the customer's ticket with a diagnosis attached, for staff to see first, and
 * tells staff at once: the same `support-relay` job a customer message makes (the message the
 * customer pressed "open a ticket" on), carrying the diagnosis text as its note. The job id is
 * that message's, so a double tap tells staff once.
 */
export async function openTicketWithDiagnosis(
  ctx: ClientContext,
  deps: FeatureDeps,
  diagnosis: Record<string, unknown>,
  note: string,
): Promise<void> {
  const { ticket, created } = await deps.db.repos.support.openOrGet({ userId: ctx.customer.id, subject: 'doctor', diagnosis });
  if (!created) await deps.db.repos.support.setDiagnosis(ticket.id, diagnosis);
  const message = ctx.callbackQuery?.message ?? ctx.message;
  if (message) await queueRelay(ctx, deps, message, truncate(note, NOTE_MAX));
  ctx.logger.info({ ticketId: ticket.id, created, relayed: Boolean(message) }, 'ticket opened with a diagnosis');
}

/**
 * "Support": while the support screen is open every message the customer sends (text, photos,
 * files, voice) goes to staff; replies come back into this chat. Pressing "done" or any menu
 * button ends it.
 */
export function createSupportFeature(deps: FeatureDeps): Composer<ClientContext> {
  const { screens } = deps;
  const menu = screens
    .menu('sup')
    .text((ctx) => ctx.t('client.support.done'), screens.to('m'))
    .text((ctx) => ctx.t('client.menu.faq'), screens.to('faq'));
  screens.add({
    id: 'sup',
    menu,
    text: (ctx) => ctx.t('client.support.intro'),
    entered: (ctx) => {
      ctx.session.step = 'support';
    },
  });

  const composer = new Composer<ClientContext>();
  composer.command('support', screens.to('sup'));
  // An edit of a message that went to support is mirrored onto its copy in the topic (by the
  // worker); edits of anything never relayed stay here.
  composer.on('edited_message', async (ctx) => {
    const message = ctx.editedMessage;
    const relayed = await deps.db.repos.supportRelays.copyOf('in', message.chat.id, message.message_id);
    if (!relayed) return;
    await deps.producers.supportRelay.add({
      direction: 'to_topic',
      userId: ctx.customer.id,
      fromChatId: message.chat.id,
      messageId: message.message_id,
      edit: supportEditOf(message),
    });
  });
  composer.on('message').filter(
    (ctx) => ctx.session.step === 'support' && !ctx.message.successful_payment && !(ctx.message.text ?? '').startsWith('/'),
    async (ctx) => {
      const created = await relayToSupport(ctx, deps, ctx.message);
      await ctx.reply(ctx.t(created ? 'client.support.opened' : 'client.support.sent'));
    },
  );
  return composer;
}
