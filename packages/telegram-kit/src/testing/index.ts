/**
 * Helpers for testing bots built with the kit without a network: a fixed `botInfo` (no getMe),
 * hand-made updates for `bot.handleUpdate`, and an API recorder that answers every call locally.
 * For tests against a Bot API over HTTP use `@vpn/telegram-emulator`.
 */
import { createLogger, type Logger } from '@vpn/logger';
import type { Api, RawApi, Transformer } from 'grammy';
import type { Chat, Message, Update, User, UserFromGetMe } from 'grammy/types';

/** A bot's own user, so `new Bot(token, { botInfo })` needs no `getMe`. */
export function testBotInfo(overrides: Partial<UserFromGetMe> = {}): UserFromGetMe {
  return {
    id: 100_000,
    is_bot: true,
    first_name: 'Test Bot',
    username: 'test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
    ...overrides,
  };
}

let updateId = 1;
let messageId = 1;

/** A Telegram user; `language_code` decides the kit's reply language. */
export function testUser(id: number, languageCode?: string): User {
  return { id, is_bot: false, first_name: `User ${id}`, language_code: languageCode };
}

function privateChat(user: User): Chat.PrivateChat {
  return { id: user.id, type: 'private', first_name: user.first_name };
}

/** A private text message from `from` (a command when `text` starts with `/`). */
export function messageUpdate(from: User, text: string): Update {
  const message: Message.TextMessage & { chat: Chat.PrivateChat; from: User } = {
    message_id: messageId++,
    date: Math.floor(Date.now() / 1000),
    chat: privateChat(from),
    from,
    text,
    ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }] } : {}),
  };
  return { update_id: updateId++, message };
}

/** A press of a button with `data` under a message the bot sent in `from`'s private chat. */
export function callbackUpdate(from: User, data: string): Update {
  const message: Message.TextMessage & { chat: Chat.PrivateChat } = {
    message_id: messageId++,
    date: Math.floor(Date.now() / 1000),
    chat: privateChat(from),
    from: testBotInfo(),
    text: 'menu',
  };
  return { update_id: updateId++, callback_query: { id: String(updateId), from, chat_instance: '1', data, message } };
}

/** One recorded Bot API call. */
export interface ApiCall {
  method: keyof RawApi;
  payload: Record<string, unknown>;
}

/**
 * Records every call made through `api` (a bot's `bot.api`; contexts inherit its transformers) and
 * answers it with `respond` instead of the network; the default answers `true`, or a message for
 * send methods.
 */
export function recordApiCalls(
  api: Api,
  respond: (call: ApiCall) => { ok: true; result: unknown } | { ok: false; error_code: number; description: string } = defaultAnswer,
): ApiCall[] {
  const calls: ApiCall[] = [];
  const recorder: Transformer = async (_prev, method, payload) => {
    const call = { method, payload: payload as Record<string, unknown> };
    calls.push(call);
    return respond(call) as never;
  };
  api.config.use(recorder);
  return calls;
}

function defaultAnswer(call: ApiCall): { ok: true; result: unknown } {
  if (!call.method.startsWith('send')) return { ok: true, result: true };
  const chatId = Number(call.payload.chat_id);
  return {
    ok: true,
    result: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'x' },
      text: call.payload.text,
    },
  };
}

/** One parsed log line: pino's numeric `level` (30 info, 40 warn, 50 error) and its fields. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A debug-level logger whose lines are collected in `lines`, to assert what was logged and how loudly. */
export function captureLogs(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({
    name: 'test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  });
  return { logger, lines };
}
