import { describe, expect, it } from 'vitest';
import { isLanguage, resolveLanguageCode } from './languages.js';

describe('resolveLanguageCode', () => {
  it.each([
    ['ru', 'ru'],
    ['uk', 'ru'],
    ['be', 'ru'],
    ['kk', 'ru'],
    ['RU-ru', 'ru'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['de', 'en'],
    ['pt-br', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%s → %s', (code, expected) => {
    expect(resolveLanguageCode(code)).toBe(expected);
  });

  it('uses the configured fallback for missing and unmapped codes only', () => {
    expect(resolveLanguageCode(undefined, { fallback: 'ru' })).toBe('ru');
    expect(resolveLanguageCode('fr', { fallback: 'ru' })).toBe('ru');
    expect(resolveLanguageCode('en', { fallback: 'ru' })).toBe('en');
  });

  it('narrows strings to supported languages', () => {
    expect(isLanguage('en')).toBe(true);
    expect(isLanguage('uk')).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});
