import { DEFAULT_SETTINGS, type KnownSettings } from '../seed/default-settings.js';
import type { SettingRow } from '../models/index.js';
import { plain, plainAll, queryRows, type RepoDeps, type TxOptions } from './base.js';

/** Keys whose values are secrets (provider keys, tokens): encrypted at rest, masked in listings. */
export function isSecretSettingKey(key: string): boolean {
  return /(secret|token|password|api[_-]?key|private[_-]?key|credential)/i.test(key);
}

/** A setting as the admin bot lists it: secret values never leave the repository in a listing. */
export interface SettingView {
  key: string;
  value: unknown;
  encrypted: boolean;
  updatedAt: Date;
  updatedBy: number | null;
}

export const MASKED = '••••••';

export function createSettingsRepository({ sequelize, models, cipher }: RepoDeps) {
  const { Setting: Settings } = models;
  const decode = (row: SettingRow): unknown => (row.encrypted ? JSON.parse(cipher.decrypt(row.value as string)) : row.value);
  const get = async <T = unknown>(key: string, opts: TxOptions = {}): Promise<T | null> => {
    const row = plain(await Settings.findByPk(key, { transaction: opts.transaction }));
    return row ? (decode(row) as T) : null;
  };

  return {
    /** The decrypted value, or null when unset. */
    get,
    /** A known setting, falling back to its default. */
    async getKnown<K extends keyof KnownSettings>(key: K, opts: TxOptions = {}): Promise<KnownSettings[K]> {
      return (await get<KnownSettings[K]>(key, opts)) ?? DEFAULT_SETTINGS[key];
    },
    /**
     * Writes a JSON value. Secret keys (see `isSecretSettingKey`, or `secret: true`) are stored as
     * AES-256-GCM ciphertext, so a database dump never shows them.
     */
    async set(
      key: string,
      value: unknown,
      options: { secret?: boolean; updatedBy?: number | null } = {},
      opts: TxOptions = {},
    ): Promise<void> {
      const secret = options.secret ?? isSecretSettingKey(key);
      const stored = secret ? cipher.encrypt(JSON.stringify(value)) : value;
      await queryRows(
        sequelize,
        `INSERT INTO settings (key, value, encrypted, updated_by) VALUES ($1, $2::jsonb, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, encrypted = EXCLUDED.encrypted,
           updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING key`,
        [key, JSON.stringify(stored), secret, options.updatedBy ?? null],
        opts,
      );
    },
    /** Writes the value only if the key is unset (seeding never overwrites an admin's choice). */
    async ensure(key: string, value: unknown, opts: TxOptions = {}): Promise<boolean> {
      const secret = isSecretSettingKey(key);
      const rows = await queryRows(
        sequelize,
        'INSERT INTO settings (key, value, encrypted) VALUES ($1, $2::jsonb, $3) ON CONFLICT (key) DO NOTHING RETURNING key',
        [key, JSON.stringify(secret ? cipher.encrypt(JSON.stringify(value)) : value), secret],
        opts,
      );
      return rows.length === 1;
    },
    /** Every setting, secrets masked. */
    async list(opts: TxOptions = {}): Promise<SettingView[]> {
      const rows = plainAll(await Settings.findAll({ order: [['key', 'ASC']], transaction: opts.transaction }));
      return rows.map((r) => ({ ...r, value: r.encrypted ? MASKED : r.value }));
    },
    async remove(key: string, opts: TxOptions = {}): Promise<boolean> {
      return (await Settings.destroy({ where: { key }, transaction: opts.transaction })) > 0;
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
