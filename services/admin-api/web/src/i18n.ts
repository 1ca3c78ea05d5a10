import i18next from 'i18next';
import { createContext, useContext } from 'react';
import { en } from './locales/en.js';
import { ru } from './locales/ru.js';
import { ApiError } from './api.js';

export type Language = 'ru' | 'en';
const STORAGE_KEY = 'vpn-admin-language';

/** The admin's language: their saved choice, else the browser's, else Russian. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'ru' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function saveLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

/** One i18next instance for the page; both languages are bundled (no loading step). */
export const i18n = i18next.createInstance();
void i18n.init({
  lng: initialLanguage(),
  fallbackLng: 'ru',
  resources: { ru: { translation: ru }, en: { translation: en } },
  interpolation: { escapeValue: false },
});

export type T = (key: string, options?: Record<string, unknown>) => string;
export const LanguageContext = createContext<{ language: Language; t: T }>({ language: 'ru', t: (k) => k });
export const useT = () => useContext(LanguageContext);

/** An API refusal in the admin's language. */
export function describeError(t: T, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'invalid_input' && error.field) return t('errors.invalid_input', { field: error.field, message: error.message });
    const known = ['unauthorized', 'forbidden', 'rate_limited', 'code_invalid'];
    if (known.includes(error.code)) return t(`errors.${error.code}`);
    return t('errors.generic', { message: error.message });
  }
  return t('errors.generic', { message: error instanceof Error ? error.message : String(error) });
}

/** Money as the admin's locale writes it: 199 ₽, 1 370 XTR shown as ⭐. */
export function formatMoney(language: Language, amountMinor: number, currency: string): string {
  if (currency === 'XTR') return `${amountMinor} ⭐`;
  const value = amountMinor / 100;
  return new Intl.NumberFormat(language === 'ru' ? 'ru-RU' : 'en-GB', {
    style: 'currency',
    currency,
    minimumFractionDigits: Number.isInteger(value) ? 0 : 2,
  }).format(value);
}

export function formatDate(language: Language, iso: string | null): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(iso));
}
