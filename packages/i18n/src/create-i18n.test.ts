import { describe, expect, it, vi } from 'vitest';
import { createI18n } from './create-i18n.js';

describe('createI18n', () => {
  const i18n = createI18n();

  it('translates a key into each language', () => {
    expect(i18n.t('ru', 'common.buttons.back')).toBe('« Назад');
    expect(i18n.t('en', 'common.buttons.back')).toBe('« Back');
    expect(i18n.languages).toEqual(['ru', 'en']);
  });

  it('looks a text without variables up once per language, and texts with variables every time', () => {
    const fresh = createI18n();
    const lookups = vi.spyOn(fresh.i18next, 't');
    const ru = fresh.forLanguage('ru');
    expect([ru('common.buttons.back'), ru('common.buttons.back'), fresh.t('ru', 'common.buttons.back')]).toEqual([
      '« Назад',
      '« Назад',
      '« Назад',
    ]);
    expect(fresh.t('en', 'common.buttons.back')).toBe('« Back');
    expect(lookups).toHaveBeenCalledTimes(2);
    expect([ru('common.units.days', { count: 1 }), ru('common.units.days', { count: 5 })]).toEqual(['1 день', '5 дней']);
    expect(lookups).toHaveBeenCalledTimes(4);
    expect(fresh.forLanguage('ru')).toBe(ru);
  });

  it('uses the plural forms each language needs', () => {
    const ru = i18n.forLanguage('ru');
    expect([1, 2, 5, 11, 21, 22, 25].map((count) => ru('common.units.days', { count }))).toEqual([
      '1 день',
      '2 дня',
      '5 дней',
      '11 дней',
      '21 день',
      '22 дня',
      '25 дней',
    ]);
    const en = i18n.forLanguage('en');
    expect([1, 2, 0].map((count) => en('common.units.days', { count }))).toEqual(['1 day', '2 days', '0 days']);
  });

  it('HTML-escapes interpolated values but keeps the translation as written', () => {
    const text = i18n.t('en', 'common.rateLimit.wait', { count: 3, extra: '<b>&' });
    expect(text).toBe('You can repeat this action in 3 seconds.');
    i18n.i18next.addResource('en', 'common', 'probe', '<b>Hi</b>, {{name}}');
    expect(i18n.i18next.t('probe', { lng: 'en', name: '<i>Bob</i> & "Co"' })).toBe(
      '<b>Hi</b>, &lt;i&gt;Bob&lt;/i&gt; &amp; &quot;Co&quot;',
    );
  });

  it('resolves Telegram language codes with a configurable default', () => {
    expect(i18n.resolveLanguage('uk')).toBe('ru');
    expect(i18n.resolveLanguage('de')).toBe('en');
    expect(createI18n({ defaultLanguage: 'ru' }).resolveLanguage('de')).toBe('ru');
    expect(createI18n({ russianReaders: [] }).resolveLanguage('kk')).toBe('en');
  });

  it('builds independent instances (no global state)', () => {
    const a = createI18n();
    const b = createI18n();
    a.i18next.addResource('ru', 'common', 'only.in.a', 'A');
    expect(a.i18next.exists('only.in.a', { lng: 'ru' })).toBe(true);
    expect(b.i18next.exists('only.in.a', { lng: 'ru' })).toBe(false);
  });

  it('rejects unknown keys and a plural key without count at compile time', () => {
    // @ts-expect-error an unknown key must not compile
    expect(i18n.t('ru', 'common.buttons.nope')).toBe('buttons.nope');
    // @ts-expect-error a plural key needs { count }
    expect(i18n.t('en', 'common.units.days')).toBe('units.days');
    // @ts-expect-error plural forms are not keys of their own
    expect(i18n.t('en', 'common.units.days_one', { count: 1 })).toBe('1 day');
  });
});
