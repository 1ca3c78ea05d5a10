import { sqlMigration } from './sql-migration.js';

/**
 * The customer card pinned in each support topic. `support_topics.card_message_id` is the card
 * the support bot edits in place (one pin per topic). The card follows what it shows, whoever
 * changed it (the worker settling a payment, an admin, the API): payments, tickets, a customer's
 * block and a (re)mapped topic are announced on `row_changes` like subscriptions are (migration
 * 202612061000), keyed by user id. Only the columns the card shows fire on users and topics, so
 * saving the card's own message id announces nothing (no refresh loop).
 */
export const { up, down } = sqlMigration(
  `
ALTER TABLE support_topics ADD COLUMN card_message_id BIGINT;
CREATE TRIGGER payments_row_change AFTER INSERT OR UPDATE OF status ON payments
  FOR EACH ROW EXECUTE FUNCTION notify_row_change('user_id');
CREATE TRIGGER support_tickets_row_change AFTER INSERT OR UPDATE OF status, assigned_admin_id ON support_tickets
  FOR EACH ROW EXECUTE FUNCTION notify_row_change('user_id');
CREATE TRIGGER support_topics_row_change AFTER INSERT OR UPDATE OF thread_id, banned_at ON support_topics
  FOR EACH ROW EXECUTE FUNCTION notify_row_change('user_id');
CREATE TRIGGER users_row_change AFTER UPDATE OF blocked, bot_blocked_at, trial_used_at ON users
  FOR EACH ROW EXECUTE FUNCTION notify_row_change('id');
`,
  `
DROP TRIGGER IF EXISTS users_row_change ON users;
DROP TRIGGER IF EXISTS support_topics_row_change ON support_topics;
DROP TRIGGER IF EXISTS support_tickets_row_change ON support_tickets;
DROP TRIGGER IF EXISTS payments_row_change ON payments;
ALTER TABLE support_topics DROP COLUMN IF EXISTS card_message_id;
`,
);
