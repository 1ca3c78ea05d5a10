import type { TgEntity } from '../types.js';

/** Entity types inside which Telegram does not look for commands, mentions or links. */
const OPAQUE = new Set(['code', 'pre', 'text_link', 'url', 'email', 'mention', 'bot_command', 'hashtag']);

const PATTERNS: { type: string; re: RegExp }[] = [
  {
    type: 'bot_command',
    re: /(?<=^|[\s(])\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{5,32})?(?![a-zA-Z0-9_@/])/g,
  },
  { type: 'url', re: /(?<=^|[\s(])https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g },
  {
    type: 'email',
    re: /(?<=^|[\s(])[\w.+-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}(?![\w@])/g,
  },
  { type: 'mention', re: /(?<=^|[\s(])@[a-zA-Z0-9_]{5,32}(?![a-zA-Z0-9_])/g },
  { type: 'hashtag', re: /(?<=^|[\s(])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu },
];

/**
 * Adds the entities Telegram detects on its own in any message text: bot commands (so
 * `/start ref_abc` carries a `bot_command` entity for grammY's `bot.command`), URLs, e-mail
 * addresses, @mentions and hashtags. Detected spans never overlap code, pre or links.
 */
export function withAutoEntities(text: string, entities: TgEntity[]): TgEntity[] {
  const taken = entities.filter((e) => OPAQUE.has(e.type)).map((e) => [e.offset, e.offset + e.length] as const);
  const found: TgEntity[] = [];
  for (const { type, re } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      found.push({ type, offset: start, length: end - start });
    }
  }
  if (found.length === 0) return entities;
  return [...entities, ...found].sort((a, b) => a.offset - b.offset || b.length - a.length);
}
