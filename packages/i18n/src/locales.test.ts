import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from './languages.js';
import { checkLocales } from './locale-check.js';
import { NAMESPACES } from './resources.js';

const localesDir = join(import.meta.dirname, '..', 'locales');

describe('the locale files', () => {
  it('pass every check: same keys as ru, plural forms, placeholders, Telegram HTML, length', () => {
    expect(checkLocales(localesDir)).toEqual([]);
  });

  it('are all loaded: every language folder is supported and every namespace file is listed in resources.ts', () => {
    const folders = readdirSync(localesDir).sort();
    expect(folders).toEqual([...LANGUAGES].sort());
    for (const lng of folders) {
      const files = readdirSync(join(localesDir, lng)).map((f) => f.replace(/\.json$/, ''));
      expect(files.sort()).toEqual([...NAMESPACES].sort());
    }
  });
});

describe('checkLocales', () => {
  const dir = mkdtempSync(join(tmpdir(), 'locales-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fixture(name: string, files: Record<string, Record<string, unknown>>): string {
    const root = join(dir, name);
    for (const [path, content] of Object.entries(files)) {
      const [lng = '', ns = ''] = path.split('/');
      mkdirSync(join(root, lng), { recursive: true });
      writeFileSync(join(root, lng, `${ns}.json`), JSON.stringify(content));
    }
    return root;
  }

  it('reports missing and extra keys and files', () => {
    const root = fixture('keys', {
      'ru/a': { menu: { open: 'Открыть', close: 'Закрыть' } },
      'en/a': { menu: { open: 'Open', help: 'Help' } },
      'en/b': { x: 'y' },
    });
    expect(checkLocales(root).sort()).toEqual([
      'en/a: extra key menu.help',
      'en/a: missing key menu.close',
      'en/b.json: no such namespace in ru',
    ]);
  });

  it('reports plural forms a language needs or does not use', () => {
    const root = fixture('plural', {
      'ru/a': { days_one: '{{count}} день', days_few: '{{count}} дня', days_other: '{{count}} дня' },
      'en/a': { days_one: '{{count}} day', days_few: '{{count}} days', days_other: '{{count}} days' },
    });
    expect(checkLocales(root).sort()).toEqual(['en/a: days has plural forms en does not use: few', 'ru/a: days lacks plural forms _many']);
  });

  it('reports differing placeholders, bad HTML, empty and over-long texts', () => {
    const root = fixture('text', {
      'ru/a': { hi: 'Привет, <b>{{name}}</b>', bye: 'Пока', long: 'да' },
      'en/a': { hi: 'Hi, <b>{{user}}</b>', bye: '<div>Bye</div> & <i>see you', long: 'x'.repeat(4097) },
    });
    expect(checkLocales(root).sort()).toEqual([
      'en/a: bye: <div> is not a tag Telegram accepts',
      'en/a: bye: <i> is never closed',
      'en/a: bye: a bare \'&\' at "& " (write &amp;)',
      'en/a: hi has placeholders [user] but the source has [name]',
      'en/a: long is 4097 characters (Telegram allows 4096)',
    ]);
  });

  it('reports a placeholder added where the source has none', () => {
    const root = fixture('added', {
      'ru/a': { bye: 'Пока', hi: 'Привет, {{name}}' },
      'en/a': { bye: 'Bye, {{name}}', hi: 'Hi, {{name}}' },
    });
    expect(checkLocales(root)).toEqual(['en/a: bye has placeholders [name] but the source has []']);
  });

  it("compares the _other plural form with the source's, and lets _one drop the count", () => {
    const root = fixture('forms', {
      'ru/a': {
        days_one: '{{count}} день',
        days_few: '{{count}} дня',
        days_many: '{{count}} дней',
        days_other: '{{count}} дня',
        left_one: 'остался {{count}} день',
        left_few: 'осталось {{count}} дня',
        left_many: 'осталось {{count}} дней',
        left_other: 'осталось {{count}} дня',
      },
      'en/a': { days_one: '{{count}} day', days_other: 'days', left_one: 'one day left', left_other: '{{count}} days left' },
    });
    expect(checkLocales(root)).toEqual(["en/a: days_other has placeholders [] but the source's days_other has [count]"]);
  });
});
