import { sqlMigration } from './sql-migration.js';

/**
 * The support relay's bookkeeping. `support_topics`: the one forum topic of each customer (the
 * previous one kept when a topic deleted or archived by hand is replaced), the once-only notices
 * (customer blocked the bot, ban) and the ban itself. `support_relays`: every message to copy
 * between a customer's chat and their topic, recorded before its job is queued, so that a relay
 * runs once per message and in the order the messages were written: a row is claimed before the
 * copy (with a lease, for a worker that dies holding it) and marked sent with the copies' ids.
 */
export const { up, down } = sqlMigration(
  `
CREATE TABLE support_topics (
  user_id              BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  chat_id              BIGINT NOT NULL,
  thread_id            BIGINT NOT NULL,
  previous_thread_id   BIGINT,
  banned_at            TIMESTAMPTZ,
  ban_notice_at        TIMESTAMPTZ,
  blocked_notice_at    TIMESTAMPTZ,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX support_topics_thread_idx ON support_topics (chat_id, thread_id);

CREATE TYPE support_relay_state AS ENUM ('pending', 'sending', 'sent', 'dropped');
CREATE TABLE support_relays (
  id                  BIGSERIAL PRIMARY KEY,
  user_id             BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  direction           message_direction NOT NULL,
  from_chat_id        BIGINT NOT NULL,
  message_id          BIGINT NOT NULL,
  media_group_id      TEXT,
  reply_to_message_id BIGINT,
  note                TEXT,
  staff_telegram_id   BIGINT,
  state               support_relay_state NOT NULL DEFAULT 'pending',
  claimed_until       TIMESTAMPTZ,
  attempts            INTEGER NOT NULL DEFAULT 0,
  copy_ids            BIGINT[],
  drop_reason         TEXT,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at             TIMESTAMPTZ,
  CONSTRAINT support_relays_message_key UNIQUE (direction, from_chat_id, message_id)
);
CREATE INDEX support_relays_open_idx ON support_relays (user_id, direction, message_id) WHERE state IN ('pending', 'sending');
`,
  `
DROP TABLE IF EXISTS support_relays;
DROP TYPE IF EXISTS support_relay_state;
DROP TABLE IF EXISTS support_topics;
`,
);
