/**
 * Telegram's HTML parse mode, as far as our texts need it: escaping user values, reading tags,
 * and checking that a string only uses what Telegram accepts.
 * See https://core.telegram.org/bots/api#html-style
 */

/**
 * Escapes a user-provided value for Telegram's HTML parse mode: `&`, `<`, `>` and `"` (the last
 * one matters inside an attribute such as `<a href="{{url}}">`). Telegram rejects the whole
 * message ("can't parse entities") when a bare `<` or `&` slips in, so every interpolated value
 * goes through this.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** The tags Telegram's HTML parse mode accepts, with the attributes each may carry. */
export const TELEGRAM_HTML_TAGS: Readonly<Record<string, readonly string[]>> = {
  b: [],
  strong: [],
  i: [],
  em: [],
  u: [],
  ins: [],
  s: [],
  strike: [],
  del: [],
  'tg-spoiler': [],
  span: ['class'],
  a: ['href'],
  code: ['class'],
  pre: [],
  blockquote: ['expandable'],
  'tg-emoji': ['emoji-id'],
};

/** One piece of a Telegram HTML string: plain text (entities kept as written) or a tag. */
export type HtmlToken =
  | { kind: 'text'; raw: string }
  | { kind: 'open'; raw: string; name: string; attrs: Record<string, string> }
  | { kind: 'close'; raw: string; name: string }
  /** A `<` that does not start a tag: Telegram rejects it unless written as `&lt;`. */
  | { kind: 'stray'; raw: string };

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>/y;
const ATTR = /([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** Splits a string into text and tag tokens; the concatenation of every `raw` is the input. */
export function tokenizeTelegramHtml(text: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let textStart = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    TAG.lastIndex = i;
    const m = TAG.exec(text);
    if (i > textStart) tokens.push({ kind: 'text', raw: text.slice(textStart, i) });
    if (!m) {
      tokens.push({ kind: 'stray', raw: '<' });
      textStart = i + 1;
    } else {
      const [raw, slash, name = '', attrText = ''] = m;
      if (slash) tokens.push({ kind: 'close', raw, name: name.toLowerCase() });
      else tokens.push({ kind: 'open', raw, name: name.toLowerCase(), attrs: parseAttrs(attrText) });
      textStart = i + raw.length;
    }
    i = text.indexOf('<', textStart);
  }
  if (textStart < text.length) tokens.push({ kind: 'text', raw: text.slice(textStart) });
  return tokens;
}

function parseAttrs(attrText: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of attrText.matchAll(ATTR)) {
    const [, key = '', dq, sq, bare] = m;
    attrs[key.toLowerCase()] = dq ?? sq ?? bare ?? '';
  }
  return attrs;
}

const ENTITY = /&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/y;

/**
 * Lists what Telegram's HTML parser would reject in `text`: unknown tags or attributes,
 * unbalanced or crossed tags, a bare `<`, `>` or `&`. An empty list means the text is safe to send
 * with `parse_mode: 'HTML'`.
 */
export function validateTelegramHtml(text: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  for (const token of tokenizeTelegramHtml(text)) {
    if (token.kind === 'stray') problems.push("a bare '<' (write &lt;)");
    else if (token.kind === 'text') problems.push(...textProblems(token.raw));
    else if (token.kind === 'open') {
      problems.push(...openTagProblems(token.name, token.attrs));
      open.push(token.name);
    } else if (open.at(-1) === token.name) open.pop();
    else problems.push(`</${token.name}> does not close the innermost open tag <${open.at(-1) ?? 'none'}>`);
  }
  for (const name of open) problems.push(`<${name}> is never closed`);
  return problems;
}

function textProblems(raw: string): string[] {
  const problems: string[] = [];
  if (raw.includes('>')) problems.push("a bare '>' (write &gt;)");
  for (let i = raw.indexOf('&'); i !== -1; i = raw.indexOf('&', i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(raw)) problems.push(`a bare '&' at "${raw.slice(i, i + 8)}" (write &amp;)`);
  }
  return problems;
}

function openTagProblems(name: string, attrs: Record<string, string>): string[] {
  const allowed = TELEGRAM_HTML_TAGS[name];
  if (!allowed) return [`<${name}> is not a tag Telegram accepts`];
  const problems = Object.keys(attrs)
    .filter((a) => !allowed.includes(a))
    .map((a) => `<${name}> may not carry the attribute "${a}"`);
  if (name === 'a' && attrs.href === undefined) problems.push('<a> needs an href');
  if (name === 'span' && attrs.class !== 'tg-spoiler') problems.push('<span> is only accepted as <span class="tg-spoiler">');
  if (name === 'code' && attrs.class !== undefined && !attrs.class.startsWith('language-')) {
    problems.push('<code class> must be "language-<name>"');
  }
  if (name === 'tg-emoji' && attrs['emoji-id'] === undefined) problems.push('<tg-emoji> needs an emoji-id');
  return problems;
}
