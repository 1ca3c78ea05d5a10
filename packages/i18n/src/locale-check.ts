import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_LANGUAGE } from './languages.js';
import { validateTelegramHtml } from './telegram-html.js';

/** Telegram's limit for a message text (and the longest caption we could ever need is shorter). */
export const MAX_TEXT_LENGTH = 4096;

const PLURAL = /^(.+)_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /\{\{\s*-?\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g;
const KEY_SEGMENT = /^[A-Za-z0-9_-]+$/;

type Texts = Map<string, string>;

/**
 * Walks `locales/<lng>/<namespace>.json` and lists every problem against the source locale:
 * missing or extra files and keys, plural forms a language needs (from `Intl.PluralRules`),
 * placeholders that differ from the source, HTML Telegram would reject, texts over 4096 characters.
 * Generic on purpose: it keeps checking whatever keys, namespaces and languages are added.
 */
export function checkLocales(localesDir: string, source: string = SOURCE_LANGUAGE): string[] {
  const problems: string[] = [];
  const languages = readdirSync(localesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const namespaces = jsonFiles(join(localesDir, source));
  for (const lng of languages) {
    for (const extra of jsonFiles(join(localesDir, lng)).filter((ns) => !namespaces.includes(ns))) {
      problems.push(`${lng}/${extra}.json: no such namespace in ${source}`);
    }
  }
  for (const ns of namespaces) {
    const sourceTexts = load(join(localesDir, source, `${ns}.json`), problems, `${source}/${ns}`);
    if (!sourceTexts) continue;
    for (const lng of languages) {
      const where = `${lng}/${ns}`;
      const texts = lng === source ? sourceTexts : load(join(localesDir, lng, `${ns}.json`), problems, where);
      if (texts) problems.push(...compare(lng, where, texts, sourceTexts));
    }
  }
  return problems;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
}

function load(file: string, problems: string[], where: string): Texts | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const texts: Texts = new Map();
  flatten(parsed, '', texts, problems, where);
  return texts;
}

function flatten(value: unknown, prefix: string, out: Texts, problems: string[], where: string): void {
  if (typeof value === 'string') {
    out.set(prefix, value);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where}: ${prefix || '(root)'} must be a string or an object of strings`);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (!KEY_SEGMENT.test(key)) problems.push(`${where}: key segment "${key}" may only use letters, digits, _ and -`);
    flatten(child, prefix ? `${prefix}.${key}` : key, out, problems, where);
  }
}

/** Groups keys into plain ones and plural ones (`base` → its forms); plural means the source has `base_other`. */
function group(texts: Texts, sourceTexts: Texts): { plain: Set<string>; plural: Map<string, Set<string>> } {
  const plain = new Set<string>();
  const plural = new Map<string, Set<string>>();
  for (const key of texts.keys()) {
    const m = PLURAL.exec(key);
    if (m?.[1] && m[2] && (sourceTexts.has(`${m[1]}_other`) || texts.has(`${m[1]}_other`))) {
      const forms = plural.get(m[1]) ?? new Set<string>();
      forms.add(m[2]);
      plural.set(m[1], forms);
    } else plain.add(key);
  }
  return { plain, plural };
}

function compare(lng: string, where: string, texts: Texts, sourceTexts: Texts): string[] {
  const problems: string[] = [];
  const mine = group(texts, sourceTexts);
  const theirs = group(sourceTexts, sourceTexts);
  const needed = new Intl.PluralRules(lng).resolvedOptions().pluralCategories.map(String);
  for (const key of theirs.plain) if (!mine.plain.has(key)) problems.push(`${where}: missing key ${key}`);
  for (const key of mine.plain) if (!theirs.plain.has(key)) problems.push(`${where}: extra key ${key}`);
  for (const base of theirs.plural.keys()) if (!mine.plural.has(base)) problems.push(`${where}: missing plural key ${base}`);
  for (const [base, forms] of mine.plural) {
    if (!theirs.plural.has(base)) problems.push(`${where}: extra plural key ${base}`);
    const missing = needed.filter((f) => !forms.has(f));
    const extra = [...forms].filter((f) => !needed.includes(f));
    if (missing.length > 0) problems.push(`${where}: ${base} lacks plural forms ${missing.map((f) => `_${f}`).join(', ')}`);
    if (extra.length > 0) problems.push(`${where}: ${base} has plural forms ${lng} does not use: ${extra.join(', ')}`);
  }
  for (const key of [...mine.plain, ...mine.plural.keys()]) {
    const got = placeholders(texts, key, mine.plural.get(key));
    const want = placeholders(sourceTexts, key, theirs.plural.get(key));
    // `want` is '' for a source text without placeholders: a translation adding one is wrong too.
    if (want !== undefined && got !== want) problems.push(`${where}: ${key} has placeholders [${got}] but the source has [${want}]`);
  }
  // Plural forms cover different numbers per language (en `_one` is 1 only, ru `_one` also 21),
  // so only `_other`, the general form every language has, is compared form to form.
  for (const base of mine.plural.keys()) {
    if (!mine.plural.get(base)?.has('other') || !theirs.plural.get(base)?.has('other')) continue;
    const got = placeholders(texts, `${base}_other`, undefined);
    const want = placeholders(sourceTexts, `${base}_other`, undefined);
    if (got !== want) problems.push(`${where}: ${base}_other has placeholders [${got}] but the source's ${base}_other has [${want}]`);
  }
  for (const [key, text] of texts) {
    if (text.length > MAX_TEXT_LENGTH) problems.push(`${where}: ${key} is ${text.length} characters (Telegram allows ${MAX_TEXT_LENGTH})`);
    if (text.trim() === '') problems.push(`${where}: ${key} is empty`);
    for (const p of validateTelegramHtml(text)) problems.push(`${where}: ${key}: ${p}`);
  }
  return problems;
}

/** The sorted placeholder names of a key (across all its plural forms), or undefined if it is absent. */
function placeholders(texts: Texts, key: string, forms: Set<string> | undefined): string | undefined {
  const strings = forms ? [...forms].map((f) => texts.get(`${key}_${f}`)) : [texts.get(key)];
  if (strings.every((s) => s === undefined)) return undefined;
  const names = new Set(strings.flatMap((s) => [...(s ?? '').matchAll(PLACEHOLDER)].map((m) => m[1] ?? '')));
  return [...names].sort().join(', ');
}
