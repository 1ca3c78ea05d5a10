import type { Transformer } from 'grammy';
import type { SendLane, SendLimiter } from './send-limiter.js';

/**
 * The methods that post a message and so count against Telegram's flood limits (what the
 * emulator charges too). Edits, answers and chat actions are not limited here.
 */
const POSTING = /^(send(?!ChatAction)\w+|copyMessages?|forwardMessages?|createForumTopic)$/;

/** Methods that carry `allow_paid_broadcast` (not copyMessages / forwardMessage(s)). */
const PAID_CAPABLE = /^(send(?!ChatAction|MediaGroup$)\w+|sendMediaGroup|copyMessage)$/;

export interface SendLimitOptions {
  limiter: SendLimiter;
  /** The bot id (the token's part before the colon). */
  botId: number;
  lane: SendLane;
  /** Called after a send that used a paid-broadcast slot was answered ok, with its `chat_id`: the cost report. */
  onPaidSend?: (chatId: number | string) => void;
}

/** The bot id a token belongs to (public: it is the bot's user id), for the limiter's keys. */
export function botIdOf(token: string): number {
  const id = Number(token.split(':')[0]);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error('a bot token starts with the bot id');
  return id;
}

/**
 * A grammY transformer that takes a slot from the shared send limiter before every posting call
 * and, when Telegram still answers 429, pauses every sender of the token for `retry_after`.
 * Install it innermost (next to the wire), so each of auto-retry's attempts takes its own slot.
 */
export function sendLimitTransformer(options: SendLimitOptions): Transformer {
  const { limiter, botId, lane } = options;
  return async (prev, method, payload, signal) => {
    if (!POSTING.test(method)) return prev(method, payload, signal);
    const p = payload as { chat_id?: number | string; allow_paid_broadcast?: boolean };
    const chatId = p.chat_id ?? 0;
    const wantsPaid = p.allow_paid_broadcast === true && PAID_CAPABLE.test(method);
    const slot = await limiter.acquire(botId, chatId, { lane, paid: wantsPaid });
    // The flag stays on a free slot too: Telegram charges only beyond its free rate, and our
    // count of paid slots (the report's cost) is an estimate of that.
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) await limiter.pause(botId, result.parameters?.retry_after ?? 1);
    else if (result.ok && slot.paid) options.onPaidSend?.(chatId);
    return result;
  };
}
