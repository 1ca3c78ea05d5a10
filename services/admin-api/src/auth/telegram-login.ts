import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What the Telegram Login Widget hands the page after the admin confirms (all strings as received). */
export type TelegramLoginData = Record<string, string | number>;

export type LoginCheck = { ok: true; telegramId: number } | { ok: false; reason: 'hash' | 'expired' | 'malformed' };

/** Telegram's advice: reject data older than a day (a leaked widget payload stops working). */
export const LOGIN_MAX_AGE_SECONDS = 86_400;
/** Clocks differ a little; data "from the future" beyond this is forged. */
const FUTURE_SKEW_SECONDS = 300;

/**
 * Checks Login Widget data as Telegram documents it: the data-check-string is every field but
 * `hash` as `key=value`, sorted by key (ordinal), joined by `\n`; the expected hash is
 * HMAC-SHA-256 of it keyed with SHA-256 of the bot's token, compared in constant time; and
 * `auth_date` must be recent.
 */
export function checkTelegramLogin(data: TelegramLoginData, botToken: string, now: Date): LoginCheck {
  const { hash, ...fields } = data;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: 'malformed' };
  const id = Number(fields.id);
  const authDate = Number(fields.auth_date);
  if (!Number.isSafeInteger(id) || id <= 0 || !Number.isSafeInteger(authDate)) return { ok: false, reason: 'malformed' };
  const checkString = Object.keys(fields)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${String(fields[key])}`)
    .join('\n');
  const secret = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(checkString).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'hash' };
  const age = Math.floor(now.getTime() / 1000) - authDate;
  if (age > LOGIN_MAX_AGE_SECONDS || age < -FUTURE_SKEW_SECONDS) return { ok: false, reason: 'expired' };
  return { ok: true, telegramId: id };
}

/** Signs widget data the way Telegram does (tests, and the sandbox's login without Telegram). */
export function signTelegramLogin(fields: Record<string, string | number>, botToken: string): TelegramLoginData {
  const checkString = Object.keys(fields)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${String(fields[key])}`)
    .join('\n');
  const secret = createHash('sha256').update(botToken).digest();
  return { ...fields, hash: createHmac('sha256', secret).update(checkString).digest('hex') };
}
