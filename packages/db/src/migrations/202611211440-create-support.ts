import { sqlMigration } from './sql-migration.js';

/**
 * Support: one forum topic per customer (users.support_topic_id), tickets inside it (at most one
 * open ticket per user) and the message map that lets replies travel both ways.
 */
export const { up, down } = sqlMigration(
  `
CREATE TYPE ticket_status AS ENUM ('open', 'pending', 'answered', 'closed');
CREATE TYPE message_direction AS ENUM ('in', 'out');

CREATE TABLE support_tickets (
  id                BIGSERIAL PRIMARY KEY,
  user_id           BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status            ticket_status NOT NULL DEFAULT 'open',
  topic_id          BIGINT,
  subject           TEXT,
  diagnosis         JSONB,
  last_message_at   TIMESTAMPTZ,
  assigned_admin_id INTEGER REFERENCES admins(id) ON DELETE SET NULL,
  closed_at         TIMESTAMPTZ,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX support_tickets_one_open_per_user_idx ON support_tickets (user_id) WHERE status <> 'closed';
CREATE INDEX support_tickets_status_idx ON support_tickets (status, last_message_at);
CREATE INDEX support_tickets_topic_idx ON support_tickets (topic_id) WHERE topic_id IS NOT NULL;

CREATE TABLE support_message_links (
  id                 BIGSERIAL PRIMARY KEY,
  ticket_id          BIGINT NOT NULL REFERENCES support_tickets(id) ON DELETE CASCADE,
  direction          message_direction NOT NULL,
  client_chat_id     BIGINT NOT NULL,
  client_message_id  BIGINT NOT NULL,
  support_chat_id    BIGINT NOT NULL,
  support_message_id BIGINT NOT NULL,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT support_message_links_support_key UNIQUE (support_chat_id, support_message_id)
);
CREATE INDEX support_message_links_client_idx ON support_message_links (client_chat_id, client_message_id);
CREATE INDEX support_message_links_ticket_idx ON support_message_links (ticket_id);
`,
  `
DROP TABLE IF EXISTS support_message_links;
DROP TABLE IF EXISTS support_tickets;
DROP TYPE IF EXISTS message_direction;
DROP TYPE IF EXISTS ticket_status;
`,
);
