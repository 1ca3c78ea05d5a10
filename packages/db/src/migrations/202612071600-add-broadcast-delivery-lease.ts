import { sqlMigration } from './sql-migration.js';

/**
 * Broadcasts sent by the worker at Telegram's pace, exactly once per recipient:
 * - a delivery is claimed for a lease (`claimed_until`) before it is sent, so two workers never
 *   take the same row, and a dead worker's rows come back once the lease lapses;
 * - `attempted_at` is written just before the send: a row still pending with an attempt and a
 *   lapsed lease may have reached the customer (the worker died mid-send), so it is closed as
 *   failed ("in doubt") and never sent again;
 * - `paid` marks a message sent with allow_paid_broadcast beyond the free rate (0.1 Star);
 * - a broadcast has one version per language beside the ru one (`versions`: text, media, buttons),
 *   URL buttons, the paid-broadcast switch it started with, and the admin's progress message.
 */
export const { up, down } = sqlMigration(
  `
ALTER TABLE broadcast_deliveries
  ADD COLUMN claimed_until TIMESTAMPTZ,
  ADD COLUMN attempted_at TIMESTAMPTZ,
  ADD COLUMN paid BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE broadcasts
  ADD COLUMN buttons JSONB,
  ADD COLUMN versions JSONB NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN allow_paid BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN paid_count INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN progress_chat_id BIGINT,
  ADD COLUMN progress_message_id BIGINT;
`,
  `
ALTER TABLE broadcasts
  DROP COLUMN IF EXISTS progress_message_id,
  DROP COLUMN IF EXISTS progress_chat_id,
  DROP COLUMN IF EXISTS paid_count,
  DROP COLUMN IF EXISTS allow_paid,
  DROP COLUMN IF EXISTS versions,
  DROP COLUMN IF EXISTS buttons;
ALTER TABLE broadcast_deliveries
  DROP COLUMN IF EXISTS paid,
  DROP COLUMN IF EXISTS attempted_at,
  DROP COLUMN IF EXISTS claimed_until;
`,
);
