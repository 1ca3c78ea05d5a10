import { createHmac, timingSafeEqual } from 'node:crypto';
import { phpEscape } from '../../php-json.js';

/** lowercase_hex(HMAC-SHA-256(key = token, message = text)) — severpay.md §2 step 4, §6 step 3. */
export function severpayHmac(token: string, text: string): string {
  return createHmac('sha256', token).update(text, 'utf8').digest('hex');
}

/**
 * A request body as Sever Pay checks it (severpay.md §2): every parameter with `mid` and `salt`,
 * top-level keys sorted (PHP ksort), compact JSON without escaping `/` or non-ASCII
 * (JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES, which is what JSON.stringify writes), signed,
 * then sent with `sign` added. Amounts must already be JSON numbers in shortest form.
 */
export function signedSeverpayRequest(params: Record<string, unknown>, token: string): string {
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const text = JSON.stringify(sorted);
  return `${text.slice(0, -1)},"sign":"${severpayHmac(token, text)}"}`;
}

/**
 * The top-level members of a JSON object as raw text (`"key"` → the value's literal), so a
 * re-encoding keeps numbers as sent: PHP writes `100.0` where JavaScript would write `100`
 * (severpay.md §6). Undefined for anything but a JSON object.
 */
export function topLevelMembers(json: string): Array<[string, string]> | undefined {
  const text = json.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  const members: Array<[string, string]> = [];
  let i = 1;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return text.slice(start, i);
  };
  const readValue = (): string => {
    const start = i;
    let depth = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        readString();
        continue;
      }
      if (c === '{' || c === '[') depth++;
      if (c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
      }
      if (c === ',' && depth === 0) break;
      i++;
    }
    return text.slice(start, i).trim();
  };
  for (;;) {
    skipSpace();
    if (text[i] === '}') break;
    if (text[i] !== '"') return undefined;
    const key = JSON.parse(readString()) as string;
    skipSpace();
    if (text[i] !== ':') return undefined;
    i++;
    skipSpace();
    members.push([key, readValue()]);
    skipSpace();
    if (text[i] === ',') i++;
    else if (text[i] === '}') break;
    else return undefined;
  }
  return members;
}

const compact = (literal: string): string => {
  try {
    // Nested objects re-written compactly; their number literals are what a PHP encoder re-emits for the usual amounts.
    return literal.startsWith('{') || literal.startsWith('[') ? JSON.stringify(JSON.parse(literal)) : literal;
  } catch {
    return literal;
  }
};

/**
 * Whether `sign` is Sever Pay's signature of the webhook (severpay.md §6): HMAC-SHA-256 of the
 * body without `sign`, re-encoded by PHP `json_encode` with default flags (`\/`, `\uXXXX`) in the
 * order received — or sorted, as one production integration does (the order is contested; both
 * are accepted) — and, leniently, without escaping. Members keep their literal text (so `100.0`
 * stays `100.0`), and the nested `data` object is tried both as sent and compacted.
 */
export function isValidSeverpayWebhook(rawBody: string, token: string): boolean {
  const members = topLevelMembers(rawBody);
  if (!members) return false;
  const signMember = members.find(([k]) => k === 'sign');
  const sign = signMember ? (JSON.parse(signMember[1]) as unknown) : undefined;
  if (typeof sign !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sign)) return false;
  const rest = members.filter(([k]) => k !== 'sign');
  const sorted = [...rest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const texts = new Set<string>();
  for (const order of [rest, sorted]) {
    for (const shape of [(v: string) => v, compact]) {
      const json = `{${order.map(([k, v]) => `${JSON.stringify(k)}:${shape(v)}`).join(',')}}`;
      texts.add(phpEscape(json, { escapeSlashes: true, escapeUnicode: true }));
      texts.add(phpEscape(json, { escapeSlashes: false, escapeUnicode: false }));
    }
  }
  const wanted = Buffer.from(sign.toLowerCase(), 'hex');
  let ok = false;
  for (const text of texts) ok = timingSafeEqual(Buffer.from(severpayHmac(token, text), 'hex'), wanted) || ok;
  return ok;
}
