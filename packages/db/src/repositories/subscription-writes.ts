import type { SubscriptionEventInput } from './subscription-events.repository.js';
import type { Binds } from './sql-parts.js';

/** The history row written by the same statement as a subscription change (its `to_*` come from the new row). */
export type SubscriptionHistory = Omit<SubscriptionEventInput, 'subscriptionId' | 'toStatus' | 'toEndsAt'>;

/**
 * `WITH s AS (<write> RETURNING *)[, e AS (INSERT INTO subscription_events ...)] SELECT * FROM s`:
 * the change and its history row in ONE round trip.
 */
export function withHistory(write: string, history: SubscriptionHistory | undefined, binds: Binds): string {
  if (!history) return `WITH s AS (${write} RETURNING *) SELECT * FROM s`;
  const values = [
    'id',
    binds.add(history.kind),
    `${binds.add(history.fromStatus ?? null)}::subscription_status`,
    'status',
    `${binds.add(history.fromEndsAt ?? null)}::timestamptz`,
    'ends_at',
    `${binds.add(history.paymentId ?? null)}::uuid`,
    binds.add(history.actor ?? 'system'),
    `${binds.add(JSON.stringify(history.data ?? {}))}::jsonb`,
  ];
  return `WITH s AS (${write} RETURNING *),
    e AS (INSERT INTO subscription_events (subscription_id, kind, from_status, to_status, from_ends_at, to_ends_at, payment_id, actor, data)
          SELECT ${values.join(', ')} FROM s)
    SELECT * FROM s`;
}
