/** The languages every text exists in; `ru` is the source locale translators work from. */
export const LANGUAGES = ['ru', 'en'] as const;

/** A language we have texts for. */
export type Language = (typeof LANGUAGES)[number];

/** The locale every other locale is checked against and falls back to. */
export const SOURCE_LANGUAGE: Language = 'ru';

/**
 * Telegram `language_code`s whose speakers usually read Russian better than English
 * (Ukrainian, Belarusian, Kazakh): they get `ru`.
 */
export const RUSSIAN_READERS: readonly string[] = ['ru', 'uk', 'be', 'kk'];

/** Narrows any string to a supported language, or `undefined`. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export interface ResolveLanguageOptions {
  /** For a missing or unmapped code. Default `en`. */
  fallback?: Language;
  /** Codes answered in Russian. Default {@link RUSSIAN_READERS}. */
  russianReaders?: readonly string[];
}

/**
 * Maps Telegram's `User.language_code` (an IETF tag such as `ru`, `en-US`, `uk`, or nothing at
 * all) to a language we have texts for: a supported language as itself, a Russian-reading one to
 * `ru`, anything else to `fallback`.
 */
export function resolveLanguageCode(code: string | undefined, options: ResolveLanguageOptions = {}): Language {
  const fallback = options.fallback ?? 'en';
  const primary = code?.trim().toLowerCase().split(/[-_]/)[0];
  if (!primary) return fallback;
  if (isLanguage(primary)) return primary;
  if ((options.russianReaders ?? RUSSIAN_READERS).includes(primary)) return 'ru';
  return fallback;
}
