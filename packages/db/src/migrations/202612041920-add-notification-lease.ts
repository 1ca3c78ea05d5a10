import { sqlMigration } from './sql-migration.js';

/**
 * A notification is claimed before it is sent and marked sent after Telegram answered. A claim
 * (`sending`) older than the lease may be taken again: a worker killed between the claim and the
 * send then leaves a late (possibly duplicate) message instead of none. `dropped`: Telegram will
 * never take it (the customer blocked the bot, the message was refused). Existing rows were sent.
 */
export const { up, down } = sqlMigration(
  `
ALTER TABLE sent_notifications
  ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'sent',
  ADD COLUMN claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  ADD CONSTRAINT sent_notifications_state_chk CHECK (state IN ('sending', 'sent', 'dropped'));
UPDATE sent_notifications SET claimed_at = sent_at;
ALTER TABLE sent_notifications ALTER COLUMN sent_at DROP NOT NULL, ALTER COLUMN sent_at DROP DEFAULT;
`,
  `
UPDATE sent_notifications SET sent_at = claimed_at WHERE sent_at IS NULL;
ALTER TABLE sent_notifications ALTER COLUMN sent_at SET DEFAULT now(), ALTER COLUMN sent_at SET NOT NULL;
ALTER TABLE sent_notifications DROP CONSTRAINT IF EXISTS sent_notifications_state_chk;
ALTER TABLE sent_notifications DROP COLUMN IF EXISTS claimed_at, DROP COLUMN IF EXISTS state;
`,
);
