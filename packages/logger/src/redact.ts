import { maskSecrets as maskText } from './mask.js';

/**
 * Keys whose values never reach a log line, at any depth: bot tokens, provider keys, passwords,
 * card data, panel credentials, WireGuard private keys, connection strings. Compared without
 * case, so `Authorization` and `authorization` are the same header.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set(
  [
    'token',
    'botToken',
    'password',
    'secret',
    'secretKey',
    'apiKey',
    'x-api-key',
    'authorization',
    'cookie',
    'set-cookie',
    'crypto-pay-api-signature',
    'credentials',
    'card',
    'card_number',
    'cvc',
    'cvv',
    'privateKey',
    'private_key',
    'wireguardConfig',
    'ENCRYPTION_KEY',
    'CLIENT_BOT_TOKEN',
    'SUPPORT_BOT_TOKEN',
    'ADMIN_BOT_TOKEN',
    'YOOKASSA_SECRET_KEY',
    'CRYPTOPAY_TOKEN',
    'WATA_TOKEN',
    'STARS_FORWARD_SECRET',
    'GO_LINK_SECRET',
    'DATABASE_URL',
    // Access credentials (subscription URLs, share links, configs) and what carries them: a
    // failed Bot API call's GrammyError keeps the whole request (`text`, `caption`, `copy_text`,
    // buttons) in `payload`.
    'payload',
    'subscriptionUrl',
    'subscription_url',
    'links',
    'shareLinks',
    'copy_text',
  ].map((key) => key.toLowerCase()),
);

export const CENSOR = '[REDACTED]';

/** Objects deeper than this are written as they are (log payloads are shallow; this bounds the work). */
const MAX_DEPTH = 6;

/**
 * `value` with every secret key's value replaced by {@link CENSOR}, copying only the objects on
 * the way to a secret (the caller's objects are never changed; a line without secrets costs one
 * walk and no copy). pino's own path-based redaction needed a wildcard path per nesting level,
 * and its wildcards cost about 25 µs per line (bench/client): more than the rest of the line.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  if (value instanceof Error) return redactError(value, depth);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = redactSecrets(item, depth + 1);
      if (next !== item) (copy ??= [...value])[i] = next;
    }
    return (copy ?? value) as T;
  }
  const changed = redactedFields(value as Record<string, unknown>, depth);
  return changed ? { ...value, ...changed } : value;
}

/** The own enumerable fields of `record` that redaction changes, with their new values; undefined when none. */
function redactedFields(record: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
  let changed: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const secret = SECRET_KEYS.has(key.toLowerCase());
    const next = secret ? (item === undefined || item === null ? item : CENSOR) : redactSecrets(item, depth + 1);
    if (next !== item) (changed ??= {})[key] = next;
  }
  return changed;
}

/**
 * An error keeps its class, message and stack (pino's serializer needs them); only its own
 * enumerable fields are redacted, such as the request headers an HTTP client's error carries.
 */
function redactError<T extends Error>(err: T, depth: number): T {
  let changed = redactedFields(err as unknown as Record<string, unknown>, depth);
  // An error's own texts (Telegram's `description`) may quote what was sent.
  for (const [key, item] of Object.entries(err)) {
    if (typeof item !== 'string' || changed?.[key] !== undefined) continue;
    const masked = maskText(item);
    if (masked !== item) (changed ??= {})[key] = masked;
  }
  if (!changed) return err;
  const copy = Object.create(Object.getPrototypeOf(err) as object, Object.getOwnPropertyDescriptors(err)) as T;
  return Object.assign(copy, changed);
}
