import { draw, SALT, trialOnly } from '../sql.js';
import type { Step, StepContext } from './step.js';

/**
 * Customers, joined over the last year with growth (a customer's number is its join order; the
 * join rate rises linearly, so half of them joined in the last quarter). 80 % Russian, 15 %
 * English, the rest without a language; 12 % came through a referral link (from an earlier
 * customer); 4 % blocked the bot at some point; a quarter came from a campaign.
 */
export function customersStep({ asOf, shape }: StepContext): Step {
  const r = (salt: (typeof SALT)[keyof typeof SALT]) => draw('i', salt);
  return {
    name: 'users',
    table: 'users',
    bind: [asOf, shape.customers],
    sql: `
INSERT INTO users (id, telegram_id, username, first_name, language_code, referrer_id, referral_code,
  bot_blocked_at, trial_used_at, source, last_activity_at, created_at, updated_at)
SELECT i, 5000000000 + i,
  CASE WHEN ${r(SALT.username)} < 0.7 THEN 'bench_user_' || i END,
  'Customer ' || i,
  CASE WHEN ${r(SALT.language)} < 0.8 THEN 'ru' WHEN ${r(SALT.language)} < 0.95 THEN 'en' END,
  CASE WHEN i > 50 AND ${r(SALT.referred)} < 0.12 THEN 1 + floor(${r(SALT.referrer)} * (i - 1))::bigint END,
  'bd' || to_hex(i),
  CASE WHEN ${r(SALT.botBlocked)} < 0.04 THEN c + (as_of - c) * ${r(SALT.botBlockedAt)} END,
  CASE WHEN ${trialOnly('i')} OR ${r(SALT.trialUsed)} < 0.55 THEN c + interval '2 minutes' END,
  CASE WHEN ${r(SALT.source)} < 0.25
    THEN (ARRAY['ads_tg', 'ads_vk', 'blog', 'friends', 'channel'])[1 + floor(${r(SALT.sourceKind)} * 5)::int] END,
  c + (as_of - c) * sqrt(${r(SALT.lastActivity)}),
  c, c
FROM (
  SELECT i, $1::timestamptz AS as_of,
    $1::timestamptz - interval '365 days' + interval '365 days' * sqrt(i::float8 / $2) - interval '5 minutes' AS c
  FROM generate_series(1, $2::bigint) AS i
) AS g`,
    after: `SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`,
  };
}

/** A referral reward for each referred customer's first paid payment (7 days to the inviter, 3 to the friend). */
export function referralRewardsStep(): Step {
  return {
    name: 'referral rewards',
    table: 'referral_rewards',
    bind: [],
    sql: `
INSERT INTO referral_rewards (referrer_id, referee_id, payment_id, referrer_days, referee_days, created_at)
SELECT DISTINCT ON (u.id) u.referrer_id, u.id, p.id, 7, 3, p.paid_at
FROM users u JOIN payments p ON p.user_id = u.id AND p.status IN ('succeeded', 'refunded')
WHERE u.referrer_id IS NOT NULL
ORDER BY u.id, p.created_at`,
  };
}
