import { sqlMigration } from './sql-migration.js';

/**
 * The recovery sweeps walk their candidates by a cursor (issue 11 item 9):
 * - settlement recovery reads unprocessed events not refused for good, in `(received_at, id)`
 *   order, so events a human must look at never fill its batch;
 * - the payment poll and the daily reconciliation read pending payments in `(created_at, id)` order.
 */
export const { up, down } = sqlMigration(
  `
CREATE INDEX payment_events_recoverable_idx ON payment_events (received_at, id)
  WHERE processed_at IS NULL AND error IS NULL;
CREATE INDEX payments_pending_created_idx ON payments (created_at, id) WHERE status = 'pending';
`,
  `
DROP INDEX IF EXISTS payments_pending_created_idx;
DROP INDEX IF EXISTS payment_events_recoverable_idx;
`,
);
