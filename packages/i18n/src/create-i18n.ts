import i18next, { type i18n as I18nextInstance } from 'i18next';
import type { TranslationKey, TranslationVars, VarsArg } from './keys.js';
import { LANGUAGES, SOURCE_LANGUAGE, isLanguage, resolveLanguageCode, type Language } from './languages.js';
import { NAMESPACES, resources } from './resources.js';
import { escapeHtml } from './telegram-html.js';

/** `t` bound to one language: what a bot puts on `ctx.t`. */
export type Translate = <K extends TranslationKey>(key: K, ...vars: VarsArg<K>) => string;

export interface I18n {
  /** The languages texts exist in, source first. */
  readonly languages: readonly Language[];
  /** The language used for a missing or unmapped Telegram `language_code`. */
  readonly defaultLanguage: Language;
  /**
   * The initialised i18next instance underneath, for what the wrapper does not cover. Texts without
   * variables are cached by `t`: resources added here later are not seen for keys already asked.
   */
  readonly i18next: I18nextInstance;
  /**
   * Translates `key` (`<namespace>.<feature>.<message>`) into `lng`. String values in `vars` are
   * HTML-escaped, so the result is safe for Telegram's HTML parse mode; the translation itself may
   * use Telegram's tags. Plural keys need a numeric `count`.
   */
  t<K extends TranslationKey>(lng: Language, key: K, ...vars: VarsArg<K>): string;
  /** `t` with the language fixed. */
  forLanguage(lng: Language): Translate;
  /** Telegram `language_code` → a supported language (see {@link resolveLanguageCode}). */
  resolveLanguage(code: string | undefined): Language;
}

export interface CreateI18nOptions {
  /** For users whose `language_code` is missing or not mapped. Default `en`. */
  defaultLanguage?: Language;
  /** Telegram language codes answered in Russian. Default `ru`, `uk`, `be`, `kk`. */
  russianReaders?: readonly string[];
}

/**
 * Builds a ready i18next instance (no global one: each process or test builds its own) with every
 * namespace of `locales/` loaded synchronously.
 */
export function createI18n(options: CreateI18nOptions = {}): I18n {
  const defaultLanguage = options.defaultLanguage ?? 'en';
  const instance = i18next.createInstance();
  void instance.init({
    // A copy per instance: i18next's store mutates what it is given (addResource), and the
    // imported JSON modules are shared by every instance in the process.
    resources: structuredClone(resources),
    lng: SOURCE_LANGUAGE,
    // A text missing in a translation falls back to the source rather than showing a raw key;
    // locales.test.ts keeps that from happening in the first place.
    fallbackLng: SOURCE_LANGUAGE,
    supportedLngs: LANGUAGES,
    ns: NAMESPACES,
    defaultNS: 'common',
    initAsync: false,
    returnEmptyString: false,
    // Values come from users (names, promo codes, links): escape them for HTML parse mode.
    interpolation: { escapeValue: true, escape: escapeHtml },
  });

  const translate = (lng: Language, key: string, options: TranslationVars): string => {
    const dot = key.indexOf('.');
    return instance.t(key.slice(dot + 1), { ...options, ns: key.slice(0, dot), lng: isLanguage(lng) ? lng : defaultLanguage });
  };
  // A text without variables is the same every time (the resources are loaded once, above), and
  // most of a menu is such labels: i18next's lookup allocated more per update than anything else
  // in the bot but the HTTP client (bench/client).
  const plain = new Map<string, string>();
  const t = <K extends TranslationKey>(lng: Language, key: K, ...vars: VarsArg<K>): string => {
    const options = vars[0];
    if (options !== undefined) return translate(lng, key, options);
    const cacheKey = `${lng}\u0000${key}`;
    let text = plain.get(cacheKey);
    if (text === undefined) {
      text = translate(lng, key, {});
      plain.set(cacheKey, text);
    }
    return text;
  };
  const bound = new Map<Language, Translate>();

  return {
    languages: LANGUAGES,
    defaultLanguage,
    i18next: instance,
    t,
    forLanguage: (lng) => {
      let fixed = bound.get(lng);
      if (!fixed) {
        fixed = (key, ...vars) => t(lng, key, ...vars);
        bound.set(lng, fixed);
      }
      return fixed;
    },
    resolveLanguage: (code) => resolveLanguageCode(code, { fallback: defaultLanguage, russianReaders: options.russianReaders }),
  };
}
