import type { User } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import type { PayloadOf, supportRelayQueue } from '@vpn/queues';
import { classifyTelegramError } from '@vpn/telegram-kit';
import type { MessageEntity } from 'grammy/types';
import { staffT, type SupportRelayDeps } from './relay-deps.js';

type Payload = PayloadOf<typeof supportRelayQueue>;

/** Room for the edited text in the "edited" line (Telegram's 4096 minus the line's own words). */
const EDITED_TEXT_MAX = 3_800;

/** The edited message's copy is not there yet (its relay is pending): the job retries after it. */
export class EditBeforeCopyError extends Error {
  constructor(messageId: number) {
    super(`message ${messageId} is not relayed yet; its edit waits`);
    this.name = 'EditBeforeCopyError';
  }
}

/**
 * Mirrors an edit of a relayed message onto its copy, as the client bot (which made every copy:
 * the customer's in the topic and the staff's in the customer's chat). Text edits edit the text,
 * caption edits the caption, with the entities. Where Telegram does not allow it (a sticker, a
 * message older than 48 h, a copy deleted by hand, media swapped) a short line replying to the
 * copy says the message was edited and shows its new text. An edit of a message that was never
 * relayed (written outside support mode, a note, a dropped one) does nothing.
 */
export async function mirrorEdit(
  deps: SupportRelayDeps,
  user: User,
  payload: Payload,
  log: Logger,
): Promise<{ edited: boolean; noted?: true }> {
  const edit = payload.edit!;
  const toTopic = payload.direction === 'to_topic';
  const found = await deps.db.repos.supportRelays.copyOf(toTopic ? 'in' : 'out', payload.fromChatId, payload.messageId);
  if (!found || found.state === 'dropped') return { edited: false };
  if (found.copyId === null) throw new EditBeforeCopyError(payload.messageId);
  const chatId = toTopic ? deps.supportChatId : user.telegramId;
  const entities = edit.entities as MessageEntity[] | undefined;
  try {
    if (edit.text !== undefined) {
      await deps.clientApi.editMessageText(chatId, found.copyId, edit.text, entities ? { entities } : {});
    } else if (edit.caption !== undefined) {
      await deps.clientApi.editMessageCaption(chatId, found.copyId, {
        caption: edit.caption,
        ...(entities ? { caption_entities: entities } : {}),
      });
    } else {
      throw new Error('nothing to edit in place');
    }
    return { edited: true };
  } catch (err) {
    const kind = classifyTelegramError(err).kind;
    if (kind === 'not-modified') return { edited: true };
    // Network trouble and 429s: retried. Anything Telegram refuses for good: the "edited" line.
    if (err instanceof Error && err.message !== 'nothing to edit in place' && kind !== 'api') throw err;
    const t = toTopic ? staffT(deps.i18n) : deps.i18n.forLanguage(deps.i18n.resolveLanguage(user.languageCode ?? undefined));
    const text = (edit.text ?? edit.caption ?? '').slice(0, EDITED_TEXT_MAX);
    await deps.clientApi.sendMessage(chatId, t('support.relay.edited', { text: escapeHtml(text) }), {
      parse_mode: 'HTML',
      reply_parameters: { message_id: found.copyId, allow_sending_without_reply: true },
    });
    log.info(
      { userId: user.id, messageId: payload.messageId, err: err instanceof Error ? err.message : String(err) },
      'edit shown as a line',
    );
    return { edited: false, noted: true };
  }
}
