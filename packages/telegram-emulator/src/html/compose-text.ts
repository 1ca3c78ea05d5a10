import { badRequest, TG } from '../api/errors.js';
import type { TgEntity } from '../types.js';
import { withAutoEntities } from './auto-entities.js';
import { parseHtml, type ParsedText } from './html-parse.js';

/** Telegram's limits, in characters after entity parsing. */
export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

/**
 * Turns a text or caption parameter into what Telegram stores: parse mode applied, surrounding
 * whitespace trimmed (entities shifted to match), auto-detected entities added.
 * Only HTML parse mode is emulated; Markdown modes are refused rather than mis-parsed.
 */
export function composeText(raw: string, parseMode: string | undefined, explicit: TgEntity[] | undefined): ParsedText {
  let parsed: ParsedText;
  if (parseMode === undefined || parseMode === '') parsed = { text: raw, entities: explicit ?? [] };
  else if (parseMode.toLowerCase() === 'html') parsed = parseHtml(raw);
  else throw badRequest(`unsupported parse_mode "${parseMode}" in the emulator (only HTML is emulated)`);
  const trimmed = trim(parsed);
  return { text: trimmed.text, entities: withAutoEntities(trimmed.text, trimmed.entities) };
}

/** Message text: 1..4096 characters after parsing. */
export function composeMessageText(raw: string | undefined, parseMode: string | undefined, explicit: TgEntity[] | undefined): ParsedText {
  if (raw === undefined || raw === '') throw badRequest(TG.textEmpty);
  const parsed = composeText(raw, parseMode, explicit);
  if (parsed.text === '') throw badRequest(TG.textEmpty);
  if (parsed.text.length > MAX_TEXT) throw badRequest(TG.textTooLong);
  return parsed;
}

/** Caption: 0..1024 characters after parsing; `undefined` when absent or blank. */
export function composeCaption(
  raw: string | undefined,
  parseMode: string | undefined,
  explicit: TgEntity[] | undefined,
): ParsedText | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parsed = composeText(raw, parseMode, explicit);
  if (parsed.text.length > MAX_CAPTION) throw badRequest(TG.captionTooLong);
  return parsed.text === '' ? undefined : parsed;
}

function trim({ text, entities }: ParsedText): ParsedText {
  const lead = text.length - text.trimStart().length;
  const out = text.trim();
  const clipped = entities
    .map((e) => {
      const start = Math.max(0, e.offset - lead);
      const end = Math.min(out.length, e.offset + e.length - lead);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0);
  return { text: out, entities: clipped };
}
