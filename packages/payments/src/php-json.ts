/**
 * JSON text the way PHP's `json_encode` writes it, for providers whose signatures cover a PHP
 * re-encoding rather than the bytes sent (Heleket, Sever Pay). JSON.stringify already writes
 * compact JSON with PHP's key order (insertion order); PHP differs only in escaping `/` as `\/`
 * (unless JSON_UNESCAPED_SLASHES) and non-ASCII as `\uXXXX` (unless JSON_UNESCAPED_UNICODE).
 * Numbers are written as JavaScript writes them (`100.0` becomes `100`): callers that must keep a
 * literal verify against the raw text too.
 */
export interface PhpJsonFlags {
  /** PHP's default; JSON_UNESCAPED_SLASHES turns it off. */
  escapeSlashes: boolean;
  /** PHP's default; JSON_UNESCAPED_UNICODE turns it off. */
  escapeUnicode: boolean;
}

export function phpJsonEncode(value: unknown, flags: PhpJsonFlags): string {
  return phpEscape(JSON.stringify(value), flags);
}

/**
 * Applies PHP's escaping to compact JSON text. A `/` or a non-ASCII character can only occur
 * inside strings in JSON, so a replacement outside escape sequences is exact; text that already
 * has `\/` keeps it (raw provider bodies), and without `escapeSlashes` it is unescaped.
 */
export function phpEscape(json: string, flags: PhpJsonFlags): string {
  // Escape sequences are consumed in pairs, so `\\/` (a backslash, then a slash) stays apart.
  let text = flags.escapeSlashes
    ? json.replace(/\\.|\//g, (m) => (m === '/' ? '\\/' : m))
    : json.replace(/\\./g, (m) => (m === '\\/' ? '/' : m));
  if (flags.escapeUnicode) {
    // UTF-16 code units, so characters beyond the BMP become surrogate pairs as PHP writes them.
    text = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  return text;
}
