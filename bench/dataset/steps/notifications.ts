import { isoOf } from '../sql.js';
import type { Step, StepContext } from './step.js';

/** How often the reminders sweep runs: what became due longer ago than this was sent. */
const SWEEP_PERIOD = `interval '15 minutes'`;

/** The receipt of every decided payment, as the worker recorded it (reference = payment id). */
export function receiptsStep(): Step {
  return {
    name: 'sent receipts',
    table: 'sent_notifications',
    bind: [],
    sql: `
INSERT INTO sent_notifications (user_id, kind, reference, state, sent_at, claimed_at)
SELECT p.user_id, n.kind, p.id::text, 'sent', n.at, n.at
FROM payments p CROSS JOIN LATERAL (VALUES
  (CASE WHEN p.kind = 'auto_renew' THEN 'renewal_succeeded' ELSE 'payment_succeeded' END, p.paid_at + interval '5 seconds'),
  ('payment_refunded', p.refunded_at + interval '5 seconds'),
  ('payment_failed', CASE WHEN p.status = 'failed' THEN p.updated_at + interval '5 seconds' END)
) AS n(kind, at)
WHERE n.at IS NOT NULL`,
  };
}

/**
 * The expiry reminders a worker running every 15 minutes has sent by `as_of`: for each active
 * subscription ending within three days, the 3-, 2- and 1-day reminders whose moment passed at
 * least one sweep ago (reference `<id>:<ends_at ISO>:<n>d`, as the reminders sweep writes it).
 */
export function remindersSentStep({ asOf }: StepContext): Step {
  return {
    name: 'sent reminders',
    table: 'sent_notifications',
    bind: [asOf],
    sql: `
INSERT INTO sent_notifications (user_id, kind, reference, state, sent_at, claimed_at)
SELECT s.user_id, 'expiry_reminder', s.id || ':' || ${isoOf('s.ends_at')} || ':' || k || 'd', 'sent',
  s.ends_at - k * interval '1 day' + interval '1 minute', s.ends_at - k * interval '1 day' + interval '1 minute'
FROM subscriptions s CROSS JOIN generate_series(1, 3) AS k
WHERE s.status = 'active' AND s.ends_at > $1::timestamptz AND s.ends_at <= $1::timestamptz + interval '3 days'
  AND s.ends_at - k * interval '1 day' + ${SWEEP_PERIOD} <= $1::timestamptz`,
  };
}

/** The "it has ended" notice of every subscription that ended in the last three days, at least one sweep ago. */
export function endedSentStep({ asOf }: StepContext): Step {
  return {
    name: 'sent ended notices',
    table: 'sent_notifications',
    bind: [asOf],
    sql: `
INSERT INTO sent_notifications (user_id, kind, reference, state, sent_at, claimed_at)
SELECT s.user_id, 'subscription_expired', s.id || ':' || ${isoOf('s.ends_at')}, 'sent',
  s.ends_at + interval '1 minute', s.ends_at + interval '1 minute'
FROM subscriptions s
WHERE s.status IN ('active', 'expired') AND s.ends_at > $1::timestamptz - interval '3 days'
  AND s.ends_at + ${SWEEP_PERIOD} <= $1::timestamptz`,
  };
}
