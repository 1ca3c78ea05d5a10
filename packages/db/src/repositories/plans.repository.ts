import type { LocalizedText, Plan } from '../models/index.js';
import { plain, plainAll, queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';
import { selectFrom } from './sql-parts.js';

/** Fields an admin (or the seed) sets on a plan. */
export interface PlanInput {
  code: string;
  title: LocalizedText;
  durationDays: number;
  priceMinor: number;
  currency?: string;
  priceStars?: number | null;
  discountPercent?: number;
  trafficLimitBytes?: number | null;
  deviceLimit?: number | null;
  resetTrafficOnRenew?: boolean;
  active?: boolean;
  sortOrder?: number;
}

export function createPlansRepository({ sequelize, models }: RepoDeps) {
  const { Plan: Plans } = models;
  // The plan list and a plan are read by most client-bot screens: hand-written (see selectFrom).
  const selectPlans = selectFrom(Plans);
  return {
    /** What the client bot shows, in display order. */
    async listActive(opts: TxOptions = {}): Promise<Plan[]> {
      return queryRows<Plan>(sequelize, `${selectPlans} WHERE active ORDER BY sort_order, id`, [], opts);
    },
    async listAll(opts: TxOptions = {}): Promise<Plan[]> {
      return plainAll(
        await Plans.findAll({
          order: [
            ['sortOrder', 'ASC'],
            ['id', 'ASC'],
          ],
          transaction: opts.transaction,
        }),
      );
    },
    async get(id: number, opts: TxOptions = {}): Promise<Plan | null> {
      return queryOne<Plan>(sequelize, `${selectPlans} WHERE id = $1`, [id], opts);
    },
    async findByCode(code: string, opts: TxOptions = {}): Promise<Plan | null> {
      return plain(await Plans.findOne({ where: { code }, transaction: opts.transaction }));
    },
    async create(input: PlanInput, opts: TxOptions = {}): Promise<Plan> {
      return (await Plans.create(input, { transaction: opts.transaction })).get({ plain: true });
    },
    async update(id: number, patch: Partial<PlanInput>, opts: TxOptions = {}): Promise<Plan | null> {
      const [, rows] = await Plans.update(patch, {
        where: { id },
        returning: true,
        transaction: opts.transaction,
      });
      return plain(rows[0] ?? null);
    },
    /** Inserts the plan, or leaves an existing one with the same code untouched (idempotent seeding). */
    async ensure(input: PlanInput, opts: TxOptions = {}): Promise<{ plan: Plan; created: boolean }> {
      const [row, created] = await Plans.findOrCreate({
        where: { code: input.code },
        defaults: input,
        transaction: opts.transaction,
      });
      return { plan: row.get({ plain: true }), created };
    },
  };
}

export type PlansRepository = ReturnType<typeof createPlansRepository>;
