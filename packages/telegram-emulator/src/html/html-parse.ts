import { badRequest, type ApiError } from '../api/errors.js';
import type { TgEntity } from '../types.js';

/** Tags Telegram's HTML parse mode accepts and the entity type each produces. */
const TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  start: number;
  order: number;
  entity: TgEntity | undefined;
}

export interface ParsedText {
  text: string;
  entities: TgEntity[];
}

function parseError(what: string): ApiError {
  return badRequest(`can't parse entities: ${what}`);
}

/**
 * Parses Telegram's HTML parse mode into plain text plus entities (offsets in UTF-16 code units,
 * which is what JS string indices are). Errors carry Telegram's wording, with byte offsets into
 * the UTF-8 source: "Unsupported start tag", "Unmatched end tag", "Can't find end tag ...".
 */
export function parseHtml(source: string): ParsedText {
  const byteAt = (i: number): number => Buffer.byteLength(source.slice(0, i));
  let text = '';
  const stack: OpenTag[] = [];
  const done: { entity: TgEntity; order: number }[] = [];
  let order = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '&') {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/.exec(source.slice(i, i + 12));
      const decoded = m ? decodeEntity(m[1]!) : undefined;
      if (m && decoded !== undefined) {
        text += decoded;
        i += m[0].length;
      } else {
        text += '&';
        i += 1;
      }
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const close = source.indexOf('>', i);
    if (source[i + 1] === '/') {
      if (close < 0) throw parseError(`Unclosed end tag at byte offset ${byteAt(i)}`);
      const name = source
        .slice(i + 2, close)
        .trim()
        .toLowerCase();
      const top = stack.pop();
      if (!top) throw parseError(`Unexpected end tag at byte offset ${byteAt(i)}`);
      if (top.name !== name) {
        throw parseError(`Unmatched end tag at byte offset ${byteAt(i)}, expected "</${top.name}>", found "</${name}>"`);
      }
      if (top.entity && text.length > top.start) {
        done.push({
          entity: { ...top.entity, offset: top.start, length: text.length - top.start },
          order: top.order,
        });
      }
      i = close + 1;
      continue;
    }
    if (close < 0) throw parseError(`Unclosed start tag at byte offset ${byteAt(i)}`);
    const nameMatch = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(source.slice(i, close + 1));
    if (!nameMatch) throw parseError(`Unsupported start tag at byte offset ${byteAt(i)}`);
    const name = nameMatch[1]!.toLowerCase();
    const type = TAGS[name];
    if (!type) throw parseError(`Unsupported start tag "${name}" at byte offset ${byteAt(i)}`);
    const attrStart = i + nameMatch[0].length;
    const attrs = parseAttributes(name, source.slice(attrStart, close), (at) => byteAt(attrStart + at));
    const entity = entityFor(name, type, attrs, stack, () => byteAt(i));
    stack.push({ name, start: text.length, order: order++, entity });
    i = close + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw parseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  done.sort((a, b) => a.entity.offset - b.entity.offset || b.entity.length - a.entity.length || a.order - b.order);
  return { text, entities: done.map((d) => d.entity) };
}

function decodeEntity(body: string): string | undefined {
  if (body.startsWith('#x')) return safeCodePoint(parseInt(body.slice(2), 16));
  if (body.startsWith('#')) return safeCodePoint(parseInt(body.slice(1), 10));
  return NAMED[body.toLowerCase()];
}

function safeCodePoint(n: number): string | undefined {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

/**
 * Reads a start tag's attributes the way Telegram does: a value is quoted (`"…"` or `'…'`), or a
 * bare "name token" of letters, digits, `.` and `-` (lower-cased), so `href=https://x.y` is
 * refused ("Unexpected end of name token"). Only `<blockquote expandable>` may omit the value.
 */
function parseAttributes(tag: string, source: string, byteAt: (index: number) => number): Map<string, string> {
  const attrs = new Map<string, string>();
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  let i = 0;
  const skipSpaces = (): void => {
    while (isSpace(source[i])) i += 1;
  };
  for (;;) {
    skipSpaces();
    if (i >= source.length || source.slice(i) === '/') return attrs;
    const nameStart = i;
    while (i < source.length && !isSpace(source[i]) && source[i] !== '=') i += 1;
    const name = source.slice(nameStart, i).toLowerCase();
    skipSpaces();
    if (source[i] !== '=') {
      if (tag === 'blockquote' && name === 'expandable') {
        attrs.set(name, '');
        continue;
      }
      throw parseError(`Expected equal sign in declaration of an attribute of the tag at byte offset ${byteAt(nameStart)}`);
    }
    i += 1;
    skipSpaces();
    const quote = source[i];
    if (quote === '"' || quote === "'") {
      const end = source.indexOf(quote, i + 1);
      if (end < 0) throw parseError(`Unclosed end of attribute value at byte offset ${byteAt(i)}`);
      attrs.set(name, unescapeAttr(source.slice(i + 1, end)));
      i = end + 1;
      continue;
    }
    const tokenStart = i;
    while (i < source.length && /[a-zA-Z0-9.-]/.test(source[i]!)) i += 1;
    if (i === tokenStart || (i < source.length && !isSpace(source[i]))) {
      throw parseError(`Unexpected end of name token at byte offset ${byteAt(tokenStart)}`);
    }
    attrs.set(name, source.slice(tokenStart, i).toLowerCase());
  }
}

function unescapeAttr(value: string): string {
  return value.replace(/&(lt|gt|amp|quot);/g, (_, n: string) => NAMED[n]!);
}

/** Builds the entity a start tag opens; `undefined` for tags that only modify their parent. */
function entityFor(
  name: string,
  type: string,
  attrs: Map<string, string>,
  stack: OpenTag[],
  byteOffset: () => number,
): TgEntity | undefined {
  const base = { type, offset: 0, length: 0 };
  switch (name) {
    case 'span':
      if (attrs.get('class') !== 'tg-spoiler') {
        throw parseError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset()}`);
      }
      return base;
    case 'a': {
      const href = attrs.get('href');
      if (href === undefined || href === '') return undefined;
      const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
      if (mention)
        return {
          ...base,
          type: 'text_mention',
          user: { id: Number(mention[1]), is_bot: false, first_name: '' },
        };
      return { ...base, url: href };
    }
    case 'tg-emoji': {
      const id = attrs.get('emoji-id');
      if (!id) throw parseError(`Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${byteOffset()}`);
      return { ...base, custom_emoji_id: id };
    }
    case 'blockquote':
      return attrs.has('expandable') ? { ...base, type: 'expandable_blockquote' } : base;
    case 'code': {
      // <pre><code class="language-x"> sets the language of the enclosing pre instead of nesting.
      const parent = stack.at(-1);
      const language = /^language-(.+)$/.exec(attrs.get('class') ?? '')?.[1];
      if (parent?.name === 'pre' && parent.entity) {
        if (language) parent.entity.language = language;
        return undefined;
      }
      return base;
    }
    default:
      return base;
  }
}
