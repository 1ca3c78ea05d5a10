/**
 * `/start` deep-link payloads: `ref_<referral code>`, `promo_<CODE>`, `c_<campaign>`. Telegram
 * allows 1–64 characters of `A-Z a-z 0-9 _ -` in a start parameter, so every kind fits with room
 * to spare (referral codes are 8 characters, promo codes and campaign tags at most 60).
 */
export type StartLink = { kind: 'ref'; code: string } | { kind: 'promo'; code: string } | { kind: 'campaign'; tag: string };

/** Telegram's limit on the `start` parameter. */
export const START_PAYLOAD_MAX = 64;

const PATTERN = /^(ref|promo|c)_([A-Za-z0-9_-]{1,60})$/;

/** The link in a `/start` payload, or `undefined` for none or anything malformed (ignored, never an error). */
export function parseStartPayload(payload: string | undefined): StartLink | undefined {
  const value = payload?.trim() ?? '';
  if (value === '' || value.length > START_PAYLOAD_MAX) return undefined;
  const match = PATTERN.exec(value);
  if (!match) return undefined;
  const [, kind, rest] = match as unknown as [string, 'ref' | 'promo' | 'c', string];
  if (kind === 'ref') return { kind: 'ref', code: rest };
  if (kind === 'promo') return { kind: 'promo', code: rest.toUpperCase() };
  return { kind: 'campaign', tag: rest.toLowerCase() };
}

/** The personal invite link of a customer: `https://t.me/<bot>?start=ref_<code>`. */
export function referralLink(botUsername: string, referralCode: string): string {
  return `https://t.me/${botUsername}?start=ref_${referralCode}`;
}

/** A link that opens the bot with a promo code applied at the next checkout (the admin bot shows it per code). */
export { promoDeepLink as promoLink } from '@vpn/backoffice';
