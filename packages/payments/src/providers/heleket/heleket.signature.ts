import { createHash, timingSafeEqual } from 'node:crypto';
import { phpEscape, phpJsonEncode } from '../../php-json.js';

/** Request headers (heleket.md §1). */
export const HELEKET_MERCHANT_HEADER = 'merchant';
export const HELEKET_SIGN_HEADER = 'sign';

/** md5_hex(base64(body) + key): requests (over the exact body sent) and webhooks (over the body without `sign`) — heleket.md §1, §4. */
export function heleketSign(body: string, apiKey: string): string {
  return createHash('md5')
    .update(Buffer.from(body, 'utf8').toString('base64') + apiKey)
    .digest('hex');
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/**
 * The texts a genuine webhook's `sign` may cover. Heleket's (Cryptomus') reference check decodes
 * the body, drops `sign` and re-encodes like PHP `json_encode(..., JSON_UNESCAPED_UNICODE)`: `/` as
 * `\/`, non-ASCII raw (heleket.md §4, UNVERIFIED for Heleket). Decoding then re-encoding in
 * JavaScript loses number literals (`1.0` → `1`), so the raw text with the `sign` member cut out
 * is tried too, and the default PHP flags (non-ASCII escaped) as a last resort. Every candidate is
 * derived from the received bytes, so accepting any of them still needs the key.
 */
function candidates(body: Record<string, unknown>, rawText: string): string[] {
  const { sign: _sign, ...rest } = body;
  const flags = { escapeSlashes: true, escapeUnicode: false };
  const cut = rawText
    .trim()
    .replace(/,\s*"sign"\s*:\s*"[0-9a-fA-F]*"\s*}$/, '}')
    .replace(/^{\s*"sign"\s*:\s*"[0-9a-fA-F]*"\s*,/, '{');
  return [
    ...new Set([phpJsonEncode(rest, flags), phpEscape(cut, flags), phpJsonEncode(rest, { escapeSlashes: true, escapeUnicode: true })]),
  ];
}

/** Whether `body.sign` is Heleket's signature of the rest of the body with `apiKey` (constant-time per candidate). */
export function isValidHeleketWebhookSign(body: Record<string, unknown>, rawText: string, apiKey: string): boolean {
  const sign = body.sign;
  if (typeof sign !== 'string' || !/^[0-9a-fA-F]{32}$/.test(sign)) return false;
  const wanted = sign.toLowerCase();
  let ok = false;
  for (const text of candidates(body, rawText)) ok = sameHex(heleketSign(text, apiKey), wanted) || ok;
  return ok;
}

/** A webhook body as Heleket sends it: PHP-escaped JSON of `fields` with `sign` appended (the emulator uses this). */
export function signedHeleketWebhook(fields: Record<string, unknown>, apiKey: string, escapeSlashes = true): string {
  const flags = { escapeSlashes, escapeUnicode: false };
  const sign = heleketSign(phpJsonEncode(fields, { escapeSlashes: true, escapeUnicode: false }), apiKey);
  return phpJsonEncode({ ...fields, sign }, flags);
}
