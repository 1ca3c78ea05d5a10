export { createI18n, type CreateI18nOptions, type I18n, type Translate } from './create-i18n.js';
export type { PluralKey, TranslationKey, TranslationVars, VarsArg } from './keys.js';
export {
  LANGUAGES,
  RUSSIAN_READERS,
  SOURCE_LANGUAGE,
  isLanguage,
  resolveLanguageCode,
  type Language,
  type ResolveLanguageOptions,
} from './languages.js';
export { NAMESPACES, resources, sourceResources, type Namespace } from './resources.js';
export { TELEGRAM_HTML_TAGS, escapeHtml, tokenizeTelegramHtml, validateTelegramHtml, type HtmlToken } from './telegram-html.js';
export { formatMoney } from './format-money.js';
