import type { Repositories } from '../repositories/index.js';
import type { Transaction } from 'sequelize';
import { DEFAULT_FAQ } from './default-faq.js';
import { DEFAULT_PLANS } from './default-plans.js';
import { DEFAULT_SETTINGS } from './default-settings.js';

/** How many rows `seedDefaults` added (0s on a second run). */
export interface SeedSummary {
  plans: number;
  faq: number;
  settings: number;
}

/**
 * Writes the default plans, FAQ and settings in one transaction. Idempotent: existing rows
 * (matched by plan code, FAQ slug, setting key) are left exactly as they are, so running it on
 * every start never undoes an admin's edits.
 */
export async function seedDefaults(db: {
  repos: Repositories;
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
}): Promise<SeedSummary> {
  return db.transaction(async (transaction) => {
    const opts = { transaction };
    const summary: SeedSummary = { plans: 0, faq: 0, settings: 0 };
    for (const plan of DEFAULT_PLANS) if ((await db.repos.plans.ensure(plan, opts)).created) summary.plans++;
    for (const item of DEFAULT_FAQ) if ((await db.repos.faq.ensure(item, opts)).created) summary.faq++;
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) if (await db.repos.settings.ensure(key, value, opts)) summary.settings++;
    return summary;
  });
}
