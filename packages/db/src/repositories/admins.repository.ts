import type { Admin, AdminRole } from '../models/index.js';
import { plain, plainAll, queryOne, type RepoDeps, type TxOptions } from './base.js';

export function createAdminsRepository({ sequelize, models }: RepoDeps) {
  const { Admin: Admins } = models;
  return {
    async findByTelegramId(telegramId: number, opts: TxOptions = {}): Promise<Admin | null> {
      return plain(await Admins.findOne({ where: { telegramId }, transaction: opts.transaction }));
    },
    /** The allow-list check for the admin and support bots: only active staff pass. */
    async findActiveByTelegramId(telegramId: number, opts: TxOptions = {}): Promise<Admin | null> {
      return plain(
        await Admins.findOne({
          where: { telegramId, active: true },
          transaction: opts.transaction,
        }),
      );
    },
    /** The signed-in admin of a web session, checked on every request: only active staff pass. */
    async findActiveById(id: number, opts: TxOptions = {}): Promise<Admin | null> {
      return plain(await Admins.findOne({ where: { id, active: true }, transaction: opts.transaction }));
    },
    async list(opts: TxOptions = {}): Promise<Admin[]> {
      return plainAll(await Admins.findAll({ order: [['id', 'ASC']], transaction: opts.transaction }));
    },
    /** Creates the admin or updates role/name (and re-activates): what `admin:create` runs. */
    async upsert(
      input: { telegramId: number; role: AdminRole; name?: string | null },
      opts: TxOptions = {},
    ): Promise<{ admin: Admin; created: boolean }> {
      const row = await queryOne<Admin & { created: boolean }>(
        sequelize,
        `INSERT INTO admins (telegram_id, role, name) VALUES ($1, $2, $3)
         ON CONFLICT (telegram_id) DO UPDATE SET role = EXCLUDED.role, name = COALESCE(EXCLUDED.name, admins.name),
           active = TRUE, updated_at = now()
         RETURNING *, (xmax = 0) AS created`,
        [input.telegramId, input.role, input.name ?? null],
        opts,
      );
      const { created, ...admin } = row!;
      return { admin, created };
    },
    async setActive(telegramId: number, active: boolean, opts: TxOptions = {}): Promise<boolean> {
      const [n] = await Admins.update({ active }, { where: { telegramId }, transaction: opts.transaction });
      return n > 0;
    },
    async setRole(telegramId: number, role: AdminRole, opts: TxOptions = {}): Promise<boolean> {
      const [n] = await Admins.update({ role }, { where: { telegramId }, transaction: opts.transaction });
      return n > 0;
    },
  };
}

export type AdminsRepository = ReturnType<typeof createAdminsRepository>;
