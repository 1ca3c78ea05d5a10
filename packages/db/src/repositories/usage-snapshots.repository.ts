import { Op } from 'sequelize';
import type { UsageSnapshot } from '../models/index.js';
import { plain, plainAll, type RepoDeps, type TxOptions } from './base.js';

export function createUsageSnapshotsRepository({ models }: RepoDeps) {
  const { UsageSnapshot: Snapshots } = models;
  return {
    async add(
      input: { vpnAccountId: number; usedBytes: number; onlineAt?: Date | null; takenAt?: Date },
      opts: TxOptions = {},
    ): Promise<UsageSnapshot> {
      return (await Snapshots.create(input, { transaction: opts.transaction })).get({
        plain: true,
      });
    },
    async latest(vpnAccountId: number, opts: TxOptions = {}): Promise<UsageSnapshot | null> {
      return plain(
        await Snapshots.findOne({
          where: { vpnAccountId },
          order: [
            ['takenAt', 'DESC'],
            ['id', 'DESC'],
          ],
          transaction: opts.transaction,
        }),
      );
    },
    async listSince(vpnAccountId: number, since: Date, opts: TxOptions = {}): Promise<UsageSnapshot[]> {
      return plainAll(
        await Snapshots.findAll({
          where: { vpnAccountId, takenAt: { [Op.gte]: since } },
          order: [['takenAt', 'ASC']],
          transaction: opts.transaction,
        }),
      );
    },
    /** Deletes samples older than `before`; returns how many. */
    async prune(before: Date, opts: TxOptions = {}): Promise<number> {
      return Snapshots.destroy({
        where: { takenAt: { [Op.lt]: before } },
        transaction: opts.transaction,
      });
    },
  };
}

export type UsageSnapshotsRepository = ReturnType<typeof createUsageSnapshotsRepository>;
