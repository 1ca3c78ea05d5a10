import { draw, PLANS_CTE, SALT } from '../sql.js';
import type { Step, StepContext } from './step.js';

/** The one promo code the generated payments use (10 % off), beside a few unused ones an operator would have. */
export const DATASET_PROMO = 'BENCH10';

export function promoCodesStep(): Step {
  return {
    name: 'promo codes',
    table: 'promo_codes',
    bind: [DATASET_PROMO],
    sql: `
INSERT INTO promo_codes (code, kind, value, max_uses, per_user_limit, active) VALUES
  ($1, 'percent', 10, NULL, 1, true), ('SPRING20', 'percent', 20, 5000, 1, false), ('WEEK', 'days', 7, NULL, 1, true),
  ('FRIENDS', 'fixed', 5000, 1000, 1, true)`,
  };
}

/**
 * Payments, spread evenly over the customers (payment j belongs to customer (j-1) mod N + 1, so
 * each has payments/customers of them), each customer's in order over their life: 76 % succeeded,
 * 14 % cancelled (a link or invoice that expired unpaid), 8 % failed, 1.5 % refunded, 0.3 %
 * still pending (a third of those from the last hour, the rest stuck for months: links a provider
 * forgot). Providers: YooKassa for every customer with a saved card, else YooKassa 50 %, Stars
 * 22 %, WATA 15 %, Crypto Pay 13 %; roubles, or Stars in XTR. A trial-only customer never paid.
 * 4 % of the paid ones used a 10 % promo code. Later payments of customers with a saved card are
 * auto-renewals 60 % of the time.
 */
export function paymentsStep({ asOf, shape }: StepContext): Step {
  const d = (salt: (typeof SALT)[keyof typeof SALT]) => draw('j', salt);
  return {
    name: 'payments',
    table: 'payments',
    bind: [asOf, shape.customers, shape.payments, DATASET_PROMO],
    sql: `
WITH ${PLANS_CTE},
g AS MATERIALIZED (
  SELECT j, 1 + (j - 1) % $2::bigint AS uid, ((j - 1) / $2::bigint)::int AS round, ceil($3::float8 / $2::float8)::int AS rounds,
    $1::timestamptz AS as_of, md5('bench-payment:' || j)::uuid AS id,
    ${d(SALT.provider)} AS provider_r, ${d(SALT.status)} AS status_r, ${d(SALT.createdAt)} AS at_r,
    ${d(SALT.recentPending)} < 0.3 AS recent, ${d(SALT.promo)} < 0.04 AS promo, ${d(SALT.kind)} AS kind_r, ${d(SALT.failure)} AS failure_r
  FROM generate_series(1, $3::bigint) AS j
),
facts AS MATERIALIZED (
  SELECT g.*, u.created_at AS c, s.id AS sub_id, s.saved_payment_method_id AS saved, s.is_trial,
    coalesce(array_position(plan.ids, s.plan_id), 1) AS pidx, plan.ids, plan.prices, plan.stars,
    CASE WHEN s.saved_payment_method_id IS NOT NULL OR provider_r < 0.5 THEN 'yookassa' WHEN provider_r < 0.72 THEN 'stars'
         WHEN provider_r < 0.87 THEN 'wata' ELSE 'cryptopay' END::payment_provider AS provider,
    CASE WHEN status_r < 0.015 THEN 'refunded' WHEN status_r < 0.018 THEN 'pending' WHEN status_r < 0.1 THEN 'failed'
         WHEN status_r < 0.24 THEN 'cancelled' ELSE 'succeeded' END AS rolled
  FROM g JOIN users u ON u.id = g.uid JOIN subscriptions s ON s.user_id = g.uid CROSS JOIN plan
),
shaped AS MATERIALIZED (
  SELECT f.*,
    CASE WHEN is_trial AND rolled IN ('succeeded', 'refunded') THEN 'cancelled' ELSE rolled END::payment_status AS status,
    CASE WHEN round > 0 AND saved IS NOT NULL AND kind_r < 0.6 THEN 'auto_renew' WHEN round > 0 AND kind_r < 0.8 THEN 'renewal'
         ELSE 'purchase' END::payment_kind AS kind,
    CASE WHEN provider = 'stars' THEN coalesce(stars[pidx], 150)::bigint ELSE prices[pidx] END AS list_minor
  FROM facts f
),
timed AS MATERIALIZED (
  SELECT s.*, CASE WHEN status = 'pending' AND recent THEN as_of - interval '60 minutes' * at_r
      ELSE c + greatest(interval '0', as_of - interval '10 minutes' - c) * ((round + at_r) / rounds) END AS created,
    promo AND status IN ('succeeded', 'refunded') AS discounted
  FROM shaped s
)
INSERT INTO payments (id, user_id, subscription_id, plan_id, provider, external_id, idempotency_key, amount_minor, currency, status,
  kind, promo_code_id, discount_minor, saved_payment_method_id, confirmation_url, paid_at, refunded_at, failure_reason, metadata,
  created_at, updated_at)
SELECT id, uid, CASE WHEN status IN ('succeeded', 'refunded') OR kind <> 'purchase' THEN sub_id END, ids[pidx], provider,
  CASE provider WHEN 'yookassa' THEN substr(md5('yk' || j), 1, 8) || '-000f-5000-9000-' || substr(md5('yk' || j), 9, 12)
                WHEN 'cryptopay' THEN (100000000 + j)::text ELSE id::text END,
  'bench:' || j,
  CASE WHEN discounted THEN list_minor - round(list_minor * 0.1)::bigint ELSE list_minor END,
  CASE WHEN provider = 'stars' THEN 'XTR' ELSE 'RUB' END, status, kind,
  CASE WHEN discounted THEN (SELECT id FROM promo_codes WHERE code = $4) END,
  CASE WHEN discounted THEN round(list_minor * 0.1)::bigint ELSE 0 END,
  CASE WHEN kind = 'auto_renew' OR (saved IS NOT NULL AND status = 'succeeded' AND round = 0) THEN saved END,
  CASE WHEN status = 'pending' AND provider <> 'stars' THEN 'https://pay.bench.invalid/' || j END,
  CASE WHEN status IN ('succeeded', 'refunded') THEN created + interval '2 minutes' END,
  CASE WHEN status = 'refunded' THEN least(as_of, created + interval '1 day' * (1 + 9 * failure_r)) END,
  CASE WHEN status = 'failed' THEN (ARRAY['card_declined', 'insufficient_funds', 'expired_card', '3ds_failed'])[1 + floor(failure_r * 4)::int]
       WHEN status = 'cancelled' THEN 'expired' END,
  '{}', created,
  CASE WHEN status = 'refunded' THEN least(as_of, created + interval '1 day' * (1 + 9 * failure_r))
       WHEN status = 'succeeded' THEN created + interval '2 minutes'
       WHEN status = 'pending' THEN created ELSE least(as_of, created + interval '1 hour') END
FROM timed`,
  };
}

/** The stored form settlement reads (`{ notification, raw }`), for a status of payment `p`. */
const storedPayload = (status: string, eventId: string) =>
  `jsonb_build_object('notification', jsonb_build_object('provider', p.provider, 'eventId', ${eventId}, 'externalId', p.external_id,
    'paymentId', p.id, 'status', ${status}, 'amountMinor', p.amount_minor, 'currency', p.currency, 'occurredAt', ev.at), 'raw', '{}'::jsonb)`;

/**
 * The notifications that decided each payment, all processed: a webhook per success, refund and
 * decline; a poll result per cancellation (an expired link has no webhook).
 */
export function paymentEventsStep(): Step {
  const eventId = `CASE WHEN ev.status = 'cancelled' THEN 'poll:' || p.provider || ':' || p.external_id || ':cancelled'
    ELSE 'bench:' || p.id || ':' || ev.status END`;
  return {
    name: 'payment events',
    table: 'payment_events',
    bind: [],
    sql: `
INSERT INTO payment_events (provider, provider_event_id, payment_id, kind, raw_payload, received_at, processed_at)
SELECT p.provider, ${eventId}, p.id, CASE WHEN ev.status = 'cancelled' THEN 'poll.cancelled' ELSE 'payment.' || ev.status END,
  ${storedPayload('ev.status', eventId)}, ev.at, ev.at + interval '1 second'
FROM payments p CROSS JOIN LATERAL (VALUES
  ('succeeded', p.paid_at), ('refunded', p.refunded_at),
  ('failed', CASE WHEN p.status = 'failed' THEN p.updated_at END), ('cancelled', CASE WHEN p.status = 'cancelled' THEN p.updated_at END)
) AS ev(status, at)
WHERE ev.at IS NOT NULL`,
  };
}

/**
 * Notifications settlement refused for good (a genuine notification for a payment we do not
 * have: a test shop's, another bot's), left unprocessed with the refusal recorded, as the
 * settlement processor leaves them. Received over the last two days.
 */
export function refusedEventsStep({ asOf, shape }: StepContext): Step {
  return {
    name: 'refused payment events',
    table: 'payment_events',
    bind: [asOf, shape.refusedEvents],
    sql: `
INSERT INTO payment_events (provider, provider_event_id, payment_id, kind, raw_payload, received_at, processed_at, error)
SELECT 'yookassa', 'bench:refused:' || k, NULL, 'payment.succeeded',
  jsonb_build_object('notification', jsonb_build_object('provider', 'yookassa', 'eventId', 'bench:refused:' || k,
    'externalId', 'foreign-' || k, 'status', 'succeeded', 'amountMinor', 19900, 'currency', 'RUB',
    'occurredAt', $1::timestamptz - interval '2 days'), 'raw', '{}'::jsonb),
  $1::timestamptz - interval '2 days' + (interval '2 days' - interval '10 minutes') * (k::float8 / greatest($2::int, 1)), NULL,
  'PAYMENT_NOT_FOUND: no payment for yookassa foreign-' || k
FROM generate_series(1, $2::int) AS k`,
  };
}

/** A redemption per discounted paid payment, and each code's use count. */
export function promoRedemptionsStep(): Step {
  return {
    name: 'promo redemptions',
    table: 'promo_redemptions',
    bind: [],
    sql: `
INSERT INTO promo_redemptions (promo_code_id, user_id, payment_id, created_at)
SELECT promo_code_id, user_id, id, paid_at FROM payments WHERE promo_code_id IS NOT NULL AND status IN ('succeeded', 'refunded')`,
    after: `UPDATE promo_codes SET uses_count = (SELECT count(*) FROM promo_redemptions r WHERE r.promo_code_id = promo_codes.id)`,
  };
}
