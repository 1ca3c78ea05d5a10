import type { FaqItem, LocalizedText } from '../models/index.js';
import { plain, plainAll, queryRows, type RepoDeps, type TxOptions } from './base.js';
import { selectFrom } from './sql-parts.js';

export interface FaqInput {
  slug: string;
  category?: string;
  question: LocalizedText;
  answer: LocalizedText;
  sortOrder?: number;
  active?: boolean;
}

export function createFaqRepository({ sequelize, models }: RepoDeps) {
  const { FaqItem: Items } = models;
  // Every FAQ screen reads the list: hand-written (see selectFrom).
  const selectItems = selectFrom(Items);
  const order: [string, string][] = [
    ['category', 'ASC'],
    ['sortOrder', 'ASC'],
    ['id', 'ASC'],
  ];
  return {
    /** Active items in display order, optionally of one category. */
    async listActive(category?: string, opts: TxOptions = {}): Promise<FaqItem[]> {
      const where = category === undefined ? 'WHERE active' : 'WHERE active AND category = $1';
      return queryRows<FaqItem>(
        sequelize,
        `${selectItems} ${where} ORDER BY category, sort_order, id`,
        category === undefined ? [] : [category],
        opts,
      );
    },
    async listAll(opts: TxOptions = {}): Promise<FaqItem[]> {
      return plainAll(await Items.findAll({ order, transaction: opts.transaction }));
    },
    async get(id: number, opts: TxOptions = {}): Promise<FaqItem | null> {
      return plain(await Items.findByPk(id, { transaction: opts.transaction }));
    },
    async findBySlug(slug: string, opts: TxOptions = {}): Promise<FaqItem | null> {
      return plain(await Items.findOne({ where: { slug }, transaction: opts.transaction }));
    },
    /** Inserts the item unless its slug exists (idempotent seeding keeps admin edits). */
    async ensure(input: FaqInput, opts: TxOptions = {}): Promise<{ item: FaqItem; created: boolean }> {
      const [row, created] = await Items.findOrCreate({
        where: { slug: input.slug },
        defaults: input,
        transaction: opts.transaction,
      });
      return { item: row.get({ plain: true }), created };
    },
    async create(input: FaqInput, opts: TxOptions = {}): Promise<FaqItem> {
      return (await Items.create(input, { transaction: opts.transaction })).get({ plain: true });
    },
    async update(id: number, patch: Partial<FaqInput>, opts: TxOptions = {}): Promise<FaqItem | null> {
      const [, rows] = await Items.update(patch, {
        where: { id },
        returning: true,
        transaction: opts.transaction,
      });
      return plain(rows[0] ?? null);
    },
    async remove(id: number, opts: TxOptions = {}): Promise<boolean> {
      return (await Items.destroy({ where: { id }, transaction: opts.transaction })) > 0;
    },
  };
}

export type FaqRepository = ReturnType<typeof createFaqRepository>;
