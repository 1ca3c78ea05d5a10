import type { sourceResources } from './resources.js';

/** i18next's plural suffixes (CLDR categories): `days_one`, `days_few` … are all the key `days`. */
type PluralSuffix = '_zero' | '_one' | '_two' | '_few' | '_many' | '_other';

/** Every leaf of a nested texts object as a dotted path: `{ a: { b: 'x' } }` → `'a.b'`. */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

type RawKey = Leaves<typeof sourceResources>;

/**
 * Every translation key, `<namespace>.<feature>.<message>` (STYLE.md #13), derived from the ru
 * JSON files: an unknown or misspelt key does not compile. Plural keys appear once, without
 * their `_one`/`_few`/… suffix.
 */
export type TranslationKey = RawKey extends infer K ? (K extends `${infer Base}${PluralSuffix}` ? Base : K) : never;

/** The keys that have plural forms: they need a numeric `count`. */
export type PluralKey = RawKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;

/** Values interpolated into `{{name}}` placeholders; strings are HTML-escaped on the way in. */
export type TranslationVars = Record<string, string | number | bigint | boolean | null | undefined>;

/** The variables argument of `t` for key `K`: required (with `count`) for a plural key, optional otherwise. */
export type VarsArg<K extends TranslationKey> = K extends PluralKey
  ? [vars: TranslationVars & { count: number }]
  : [vars?: TranslationVars];
