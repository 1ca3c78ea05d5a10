import { Op, type WhereOptions } from 'sequelize';
import type { AuditEntry } from '../models/index.js';
import { plainAll, type RepoDeps, type TxOptions } from './base.js';
import { escapeLike } from './sql-parts.js';

export type AuditInput = Pick<AuditEntry, 'actorKind' | 'action'> & Partial<Pick<AuditEntry, 'actorId' | 'entity' | 'entityId' | 'data'>>;

/** Append-only: there is no update or delete. */
export function createAuditLogRepository({ models }: RepoDeps) {
  const { AuditLog } = models;
  return {
    async append(input: AuditInput, opts: TxOptions = {}): Promise<AuditEntry> {
      return (await AuditLog.create(input, { transaction: opts.transaction })).get({ plain: true });
    },
    /** Newest first; page with `beforeId`. */
    async list(
      filter: {
        entity?: string;
        entityId?: string;
        actorKind?: string;
        actorId?: number;
        /** Entries whose action starts with this (`customer.` → every customer action); `_` and `%` match themselves. */
        actionPrefix?: string;
        beforeId?: number;
        limit?: number;
      } = {},
      opts: TxOptions = {},
    ): Promise<AuditEntry[]> {
      const where: WhereOptions<AuditEntry> = {
        ...(filter.entity !== undefined ? { entity: filter.entity } : {}),
        ...(filter.entityId !== undefined ? { entityId: filter.entityId } : {}),
        ...(filter.actorKind !== undefined ? { actorKind: filter.actorKind } : {}),
        ...(filter.actorId !== undefined ? { actorId: filter.actorId } : {}),
        ...(filter.actionPrefix !== undefined ? { action: { [Op.like]: `${escapeLike(filter.actionPrefix)}%` } } : {}),
        ...(filter.beforeId !== undefined ? { id: { [Op.lt]: filter.beforeId } } : {}),
      };
      return plainAll(
        await AuditLog.findAll({
          where,
          order: [['id', 'DESC']],
          limit: filter.limit ?? 50,
          transaction: opts.transaction,
        }),
      );
    },
  };
}

export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;
