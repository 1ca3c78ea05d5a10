import type { Database, PanelKind } from '@vpn/db';
import { seedDefaults } from '@vpn/db';
import { checkShape, type DatasetShape } from './shape.js';
import { customersStep, referralRewardsStep } from './steps/customers.js';
import { endedSentStep, receiptsStep, remindersSentStep } from './steps/notifications.js';
import { paymentEventsStep, paymentsStep, promoCodesStep, promoRedemptionsStep, refusedEventsStep } from './steps/payments.js';
import type { Step, StepContext } from './steps/step.js';
import { accountsStep, historyStep, serverCountsStep, subscriptionsStep } from './steps/subscriptions.js';

/** Tables the generator fills, for the summary. */
export const DATASET_TABLES = [
  'users',
  'servers',
  'subscriptions',
  'vpn_accounts',
  'subscription_events',
  'payments',
  'payment_events',
  'promo_redemptions',
  'referral_rewards',
  'sent_notifications',
] as const;

export interface DatasetSummary {
  asOf: Date;
  shape: DatasetShape;
  rows: Record<(typeof DATASET_TABLES)[number], number>;
  /** Seconds per step, in the order they ran. */
  steps: Array<{ name: string; seconds: number; rows: number }>;
  seconds: number;
}

/** Panel kinds of the generated servers: mostly Marzban (the primary panel), one 3x-ui and one Remnawave from three servers up. */
export function serverKinds(count: number): PanelKind[] {
  return Array.from({ length: count }, (_, i): PanelKind => {
    if (count >= 3 && i === count - 2) return '3x-ui';
    if (count >= 3 && i === count - 1) return 'remnawave';
    return 'marzban';
  });
}

/**
 * The servers (through the repository, which encrypts their credentials). Their URLs point
 * nowhere: a bench that talks to panels points them at its emulators first.
 */
async function createServers(db: Database, count: number): Promise<void> {
  for (const [i, panelKind] of serverKinds(count).entries()) {
    const n = String(i + 1).padStart(2, '0');
    await db.repos.servers.create({
      name: `bench-${n}`,
      countryCode: ['NL', 'DE', 'FI', 'SE', 'PL'][i % 5] ?? 'NL',
      panelKind,
      baseUrl: `http://panel-${n}.bench.invalid`,
      credentials: { username: 'bench', password: 'bench' },
      capacity: 250_000,
    });
  }
}

/** Runs one step in its own transaction, with triggers and foreign-key checks off (see {@link generateDataset}). */
async function runStep(db: Database, step: Step): Promise<number> {
  return db.transaction(async (transaction) => {
    // JIT compiling these long expressions costs seconds per statement and saves nothing here.
    await db.sequelize.query('SET LOCAL session_replication_role = replica; SET LOCAL jit = off', { transaction });
    const [, result] = await db.sequelize.query(step.sql, { bind: step.bind, transaction });
    if (step.after) await db.sequelize.query(step.after, { transaction });
    // Sequelize hands back the row count itself for a plain INSERT, pg's result for one with a WITH.
    return typeof result === 'number' ? result : ((result as { rowCount?: number } | undefined)?.rowCount ?? 0);
  });
}

/**
 * Fills a migrated, empty schema with a data set of `shape` as of `asOf`: the default plans,
 * FAQ and settings (the real seed), servers, then every other table with one set-based
 * `INSERT … SELECT` each (generate_series and hashed draws, so the same shape and `asOf` give the
 * same rows). The steps run with `session_replication_role = replica`: the row-change NOTIFY
 * trigger would queue a million notifications nobody listens to, and foreign keys are checked
 * once by the verification queries instead of per row. Needs a superuser connection.
 */
export async function generateDataset(
  db: Database,
  shapeIn: DatasetShape,
  asOf: Date,
  onStep: (step: { name: string; seconds: number; rows: number }) => void = () => {},
): Promise<DatasetSummary> {
  const shape = checkShape(shapeIn);
  const context: StepContext = { asOf, shape };
  const started = performance.now();
  const steps: DatasetSummary['steps'] = [];
  const timed = async (name: string, fn: () => Promise<number>) => {
    const t0 = performance.now();
    const rows = await fn();
    const done = { name, seconds: (performance.now() - t0) / 1000, rows };
    steps.push(done);
    onStep(done);
  };

  await timed('seed (plans, FAQ, settings)', async () => {
    const seeded = await seedDefaults(db);
    return seeded.plans + seeded.faq + seeded.settings;
  });
  await timed('servers', async () => {
    await createServers(db, shape.servers);
    return shape.servers;
  });
  const plan: Step[] = [
    promoCodesStep(),
    customersStep(context),
    subscriptionsStep(context),
    accountsStep(),
    serverCountsStep(),
    historyStep(),
    paymentsStep(context),
    paymentEventsStep(),
    refusedEventsStep(context),
    promoRedemptionsStep(),
    referralRewardsStep(),
    receiptsStep(),
    remindersSentStep(context),
    endedSentStep(context),
  ];
  for (const step of plan) await timed(step.name, () => runStep(db, step));

  const rows = {} as DatasetSummary['rows'];
  for (const table of DATASET_TABLES) {
    const [found] = await db.sequelize.query(`SELECT count(*)::int AS n FROM ${table}`);
    rows[table] = (found[0] as { n: number }).n;
  }
  return { asOf, shape, rows, steps, seconds: (performance.now() - started) / 1000 };
}
