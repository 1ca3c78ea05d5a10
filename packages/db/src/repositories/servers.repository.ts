import { Op } from 'sequelize';
import type { PanelKind, ServerHealth, ServerRow } from '../models/index.js';
import { plainAll, queryRows, type RepoDeps, type TxOptions } from './base.js';

/** Panel login data (username/password, API token...), only ever held decrypted in memory. */
export type ServerCredentials = Record<string, string>;

/** A server as everyone sees it: the ciphertext column is left out. */
export type Server = Omit<ServerRow, 'credentialsEncrypted'>;

/** A server plus its decrypted credentials, for the panel adapter only. */
export interface ServerWithCredentials extends Server {
  credentials: ServerCredentials;
}

export interface ServerInput {
  name: string;
  countryCode?: string | null;
  panelKind: PanelKind;
  baseUrl: string;
  credentials: ServerCredentials;
  settings?: Record<string, unknown>;
  capacity?: number | null;
  weight?: number;
  active?: boolean;
}

/** What one health check found. */
export interface HealthCheckDetails {
  lastError?: string | null;
  /** Round trip of the check in whole milliseconds (not negative). */
  latencyMs?: number | null;
}

// performance.now() differences are fractional; the column holds whole, non-negative ms.
const wholeMs = (ms: number | null) => (ms === null ? null : Math.max(0, Math.round(ms)));

const publicView = ({ credentialsEncrypted: _secret, ...server }: ServerRow): Server => server;

export function createServersRepository({ sequelize, models, cipher }: RepoDeps) {
  const { Server: Servers } = models;
  const encryptCredentials = (c: ServerCredentials) => cipher.encrypt(JSON.stringify(c));
  const order: [string, string][] = [['id', 'ASC']];

  return {
    async list(opts: TxOptions = {}): Promise<Server[]> {
      return plainAll(await Servers.findAll({ order, transaction: opts.transaction })).map(publicView);
    },
    async listActive(opts: TxOptions = {}): Promise<Server[]> {
      return plainAll(await Servers.findAll({ where: { active: true }, order, transaction: opts.transaction })).map(publicView);
    },
    /** Placement candidates: active, not down, below capacity; heaviest weight first, then least loaded. */
    async listAvailable(opts: TxOptions = {}): Promise<Server[]> {
      const rows = await queryRows<ServerRow>(
        sequelize,
        `SELECT * FROM servers WHERE active AND health_status <> 'down' AND (capacity IS NULL OR users_count < capacity)
         ORDER BY weight DESC, users_count ASC, id ASC`,
        [],
        opts,
      );
      return rows.map(publicView);
    },
    async get(id: number, opts: TxOptions = {}): Promise<Server | null> {
      const row = await Servers.findByPk(id, { transaction: opts.transaction });
      return row ? publicView(row.get({ plain: true })) : null;
    },
    /** Decrypts the credentials; throws `DECRYPT_FAILED` if the key is wrong or the value was tampered with. */
    async getWithCredentials(id: number, opts: TxOptions = {}): Promise<ServerWithCredentials | null> {
      const row = await Servers.findByPk(id, { transaction: opts.transaction });
      if (!row) return null;
      const data = row.get({ plain: true });
      return {
        ...publicView(data),
        credentials: JSON.parse(cipher.decrypt(data.credentialsEncrypted)) as ServerCredentials,
      };
    },
    async create(input: ServerInput, opts: TxOptions = {}): Promise<Server> {
      const { credentials, ...rest } = input;
      const row = await Servers.create(
        { ...rest, credentialsEncrypted: encryptCredentials(credentials) },
        { transaction: opts.transaction },
      );
      return publicView(row.get({ plain: true }));
    },
    async update(id: number, patch: Partial<ServerInput>, opts: TxOptions = {}): Promise<Server | null> {
      const { credentials, ...rest } = patch;
      const values = credentials ? { ...rest, credentialsEncrypted: encryptCredentials(credentials) } : rest;
      const [, rows] = await Servers.update(values, {
        where: { id },
        returning: true,
        transaction: opts.transaction,
      });
      return rows[0] ? publicView(rows[0].get({ plain: true })) : null;
    },
    /**
     * Records a health check. The third argument is the error (or null), or the check's details:
     * `{ lastError, latencyMs }`; a latency left out keeps the previous one.
     */
    async updateHealth(
      id: number,
      status: ServerHealth,
      check: string | null | HealthCheckDetails = null,
      opts: TxOptions = {},
    ): Promise<void> {
      const details = check !== null && typeof check === 'object' ? check : { lastError: check };
      await Servers.update(
        {
          healthStatus: status,
          healthCheckedAt: new Date(),
          lastError: details.lastError ?? null,
          ...(details.latencyMs !== undefined ? { latencyMs: wholeMs(details.latencyMs) } : {}),
        },
        { where: { id }, transaction: opts.transaction },
      );
    },
    /** Atomic `users_count += delta` (never below zero); returns the new count. */
    async incrementUsersCount(id: number, delta = 1, opts: TxOptions = {}): Promise<number | null> {
      const rows = await queryRows<{ usersCount: number }>(
        sequelize,
        'UPDATE servers SET users_count = GREATEST(users_count + $2, 0), updated_at = now() WHERE id = $1 RETURNING users_count',
        [id, delta],
        opts,
      );
      return rows[0]?.usersCount ?? null;
    },
    /** Reconciliation sets the real number counted on the panel. */
    async setUsersCount(id: number, usersCount: number, opts: TxOptions = {}): Promise<void> {
      await Servers.update({ usersCount }, { where: { id }, transaction: opts.transaction });
    },
    async findByName(name: string, opts: TxOptions = {}): Promise<Server | null> {
      const row = await Servers.findOne({
        where: { name: { [Op.eq]: name } },
        transaction: opts.transaction,
      });
      return row ? publicView(row.get({ plain: true })) : null;
    },
  };
}

export type ServersRepository = ReturnType<typeof createServersRepository>;
