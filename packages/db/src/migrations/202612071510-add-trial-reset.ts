import { sqlMigration } from './sql-migration.js';

/**
 * Staff may give a customer the free trial again ("reset the trial"): `trial_reset_at` records
 * when, and lets a customer who had a subscription before take the trial once more (the trial
 * rule otherwise refuses anyone with a subscription row). The reset clears `trial_used_at`; the
 * next trial claims it again, so a reset gives exactly one more trial.
 */
export const { up, down } = sqlMigration(
  `
ALTER TABLE users ADD COLUMN trial_reset_at TIMESTAMPTZ;
`,
  `
ALTER TABLE users DROP COLUMN IF EXISTS trial_reset_at;
`,
);
