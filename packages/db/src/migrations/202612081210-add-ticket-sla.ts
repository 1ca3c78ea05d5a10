import { sqlMigration } from './sql-migration.js';

/**
 * Ticket timing and the staff forum's SLA summary. `awaiting_since`: the oldest customer message
 * no staff member has answered yet (null once answered), what the SLA flag measures;
 * `first_response_at` for the admin stats (with `created_at` and `closed_at`: first-response and
 * resolution times); `sla_flagged_at`: the flag was posted for the current wait (once);
 * `rating`: the customer's 1–5 after ending the conversation. `support_forums`: the summary
 * topic of each staff forum and its one message, edited in place.
 */
export const { up, down } = sqlMigration(
  `
ALTER TABLE support_tickets
  ADD COLUMN awaiting_since TIMESTAMPTZ,
  ADD COLUMN first_response_at TIMESTAMPTZ,
  ADD COLUMN sla_flagged_at TIMESTAMPTZ,
  ADD COLUMN rating SMALLINT CONSTRAINT support_tickets_rating_range CHECK (rating BETWEEN 1 AND 5),
  ADD COLUMN rated_at TIMESTAMPTZ;
UPDATE support_tickets SET awaiting_since = coalesce(last_message_at, created_at) WHERE status IN ('open', 'pending');
CREATE INDEX support_tickets_awaiting_idx ON support_tickets (awaiting_since) WHERE status <> 'closed' AND awaiting_since IS NOT NULL;
CREATE TABLE support_forums (
  chat_id            BIGINT PRIMARY KEY,
  summary_thread_id  BIGINT,
  summary_message_id BIGINT,
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
`,
  `
DROP TABLE IF EXISTS support_forums;
DROP INDEX IF EXISTS support_tickets_awaiting_idx;
ALTER TABLE support_tickets DROP COLUMN IF EXISTS awaiting_since, DROP COLUMN IF EXISTS first_response_at,
  DROP COLUMN IF EXISTS sla_flagged_at, DROP COLUMN IF EXISTS rating, DROP COLUMN IF EXISTS rated_at;
`,
);
