import type { Params } from '../http/params.js';
import type { TgInlineButton, TgInlineKeyboard } from '../types.js';
import { badRequest, TG } from './errors.js';

/** Telegram's limit on `callback_data`: 1..64 bytes (UTF-8), not characters. */
export const MAX_CALLBACK_DATA_BYTES = 64;

/** `reply_markup` split into what Telegram echoes in the Message (inline) and what it only applies. */
export interface ParsedMarkup {
  inline?: TgInlineKeyboard;
  /** `keyboard`, `remove_keyboard` or `force_reply`: shown to the user, not returned in the Message. */
  other?: Record<string, unknown>;
}

const ACTIONS = [
  'callback_data',
  'url',
  'pay',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'web_app',
  'callback_game',
  'copy_text',
];

const invalid = (): Error => badRequest("can't parse reply keyboard markup JSON object");

/** Reads and validates `reply_markup`; `undefined` when absent. */
export function parseMarkup(params: Params, name = 'reply_markup'): ParsedMarkup | undefined {
  const markup = params.json<Record<string, unknown>>(name, 'reply keyboard markup JSON object');
  if (markup === undefined) return undefined;
  if (typeof markup !== 'object' || Array.isArray(markup)) throw invalid();
  if ('inline_keyboard' in markup) return { inline: validateInline(markup.inline_keyboard) };
  if ('keyboard' in markup) {
    const rows = markup.keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) throw invalid();
    for (const row of rows as unknown[][]) {
      for (const b of row) {
        const text = typeof b === 'string' ? b : (b as { text?: unknown } | null)?.text;
        if (typeof text !== 'string' || text === '') throw badRequest('keyboard button text must be non-empty');
      }
    }
    return { other: markup };
  }
  if (markup.remove_keyboard === true || markup.force_reply === true) return { other: markup };
  throw invalid();
}

function validateInline(rows: unknown): TgInlineKeyboard {
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) throw invalid();
  for (const row of rows as unknown[][]) {
    for (const raw of row) {
      if (typeof raw !== 'object' || raw === null) throw invalid();
      const button = raw as TgInlineButton;
      if (typeof button.text !== 'string' || button.text === '') throw badRequest('text buttons are unallowed in the inline keyboard');
      if (!ACTIONS.some((a) => button[a] !== undefined)) throw badRequest('text buttons are unallowed in the inline keyboard');
      if (button.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(button.callback_data));
        if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest(TG.buttonDataInvalid);
      }
      if (button.url !== undefined && !acceptsButtonUrl(String(button.url))) {
        throw badRequest(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
      }
    }
  }
  return { inline_keyboard: structuredClone(rows as TgInlineButton[][]) };
}

/**
 * Whether Telegram takes `url` on an inline button. Besides the scheme, it refuses a host without a
 * dot (`localhost`, a bare machine or compose service name) and an IPv6 literal: "Wrong HTTP URL"
 * (`BUTTON_URL_INVALID` in MTProto) for the whole message. Domains and IPv4 addresses pass.
 */
export function acceptsButtonUrl(url: string): boolean {
  if (/^tg:\/\/\S+$/i.test(url)) return true;
  if (!/^https?:\/\/\S+$/i.test(url)) return false;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  if (host.startsWith('[')) return false;
  const labels = host.split('.');
  return labels.length >= 2 && labels.every((label) => label.length > 0);
}

/** Telegram compares markups structurally when deciding "message is not modified". */
export function sameMarkup(a: TgInlineKeyboard | undefined, b: TgInlineKeyboard | undefined): boolean {
  const empty = (m: TgInlineKeyboard | undefined): boolean => !m || m.inline_keyboard.every((r) => r.length === 0);
  if (empty(a) && empty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}
