import { DEFAULT_KEY_PREFIX } from '@vpn/vpn';
import { draw, PLANS_CTE, planIndex, SALT, trialOnly } from '../sql.js';
import type { Step, StepContext } from './step.js';

const GIB = 1024 ** 3;

/**
 * One subscription per customer (its id is the customer's). 12 % only ever took the 3-day trial;
 * the others bought a plan (monthly 60 %, 3 months 20 %, 6 months 12 %, a year 8 %) and are:
 * running 56 % (the end somewhere within one period ahead), ended 40 % (the end anywhere between
 * the first possible end and now), cancelled 3 %, suspended 1 %, pending 0.5 %. A share of the
 * ends are whole days (00:00 Moscow), so thousands share one `ends_at`. Ended subscriptions
 * within `backlogHours` are still `active` (the expiry sweep's backlog). 35 % of buyers saved a
 * card (YooKassa), 85 % of those with auto-renew on; those that ended in the last two days failed
 * one renewal (retry 24 h after the end), older ones failed twice (auto-renew off). Servers take
 * an uneven share each (the first the most).
 */
export function subscriptionsStep({ asOf, shape }: StepContext): Step {
  const d = (salt: (typeof SALT)[keyof typeof SALT]) => draw('u.id', salt);
  return {
    name: 'subscriptions',
    table: 'subscriptions',
    bind: [asOf, shape.servers, shape.sharedEndsShare, shape.backlogHours],
    sql: `
WITH ${PLANS_CTE},
base AS MATERIALIZED (
  SELECT u.id AS i, u.created_at AS c, $1::timestamptz AS as_of, ${trialOnly('u.id')} AS trial_only, ${planIndex('u.id')} AS pidx,
    ${d(SALT.state)} AS state_r, ${d(SALT.endAt)} AS end_r, ${d(SALT.sharedEnd)} < $3::float8 AS shared,
    ${d(SALT.savedMethod)} < 0.35 AS saves, ${d(SALT.autoRenew)} < 0.85 AS wants_renew,
    least($2::int, 1 + floor($2::int * power(${d(SALT.server)}, 1.1)))::int AS server_id,
    1 + floor(${d(SALT.version)} * 5)::int AS version
  FROM users u
),
kind AS MATERIALIZED (
  SELECT b.*, plan.ids[pidx] AS plan_id, CASE WHEN trial_only THEN 3 ELSE plan.days[pidx] END AS dur,
    CASE WHEN trial_only THEN 'trial' WHEN state_r < 0.56 THEN 'running' WHEN state_r < 0.955 THEN 'ended'
         WHEN state_r < 0.985 THEN 'cancelled' WHEN state_r < 0.995 THEN 'suspended' ELSE 'pending' END AS bucket
  FROM base b CROSS JOIN plan
),
raw AS MATERIALIZED (
  SELECT k.*, CASE
      WHEN bucket = 'pending' THEN NULL
      WHEN bucket = 'trial' THEN c + interval '3 days'
      WHEN bucket IN ('ended', 'cancelled') AND c + dur * interval '1 day' < as_of
        THEN c + dur * interval '1 day' + (as_of - c - dur * interval '1 day') * end_r
      ELSE as_of + greatest(interval '1 minute', dur * interval '1 day' * end_r)
    END AS raw_end
  FROM kind k
),
ends AS MATERIALIZED (
  -- Milliseconds, as every end the application writes (a JavaScript Date) has.
  SELECT r.*, date_trunc('milliseconds', CASE
      WHEN raw_end IS NULL OR NOT shared OR trial_only THEN raw_end
      WHEN raw_end > as_of AND date_trunc('day', raw_end, 'Europe/Moscow') <= as_of THEN date_trunc('day', raw_end, 'Europe/Moscow') + interval '1 day'
      ELSE date_trunc('day', raw_end, 'Europe/Moscow')
    END) AS ends_at
  FROM raw r
),
state AS MATERIALIZED (
  SELECT e.*, CASE
      WHEN bucket = 'pending' THEN 'pending' WHEN bucket = 'cancelled' THEN 'cancelled' WHEN bucket = 'suspended' THEN 'suspended'
      WHEN ends_at > as_of - $4::float8 * interval '1 hour' THEN 'active' ELSE 'expired'
    END::subscription_status AS status,
    saves AND NOT trial_only AND bucket <> 'pending' AS saved
  FROM ends e
),
renewal AS MATERIALIZED (
  SELECT s.*,
    CASE WHEN NOT saved OR status NOT IN ('active', 'expired') THEN 'none'
         WHEN ends_at > as_of THEN 'on' WHEN ends_at > as_of - interval '48 hours' THEN 'retry' ELSE 'off' END AS renew
  FROM state s
)
INSERT INTO subscriptions (id, user_id, plan_id, server_id, status, is_trial, starts_at, ends_at, auto_renew,
  saved_payment_method_id, saved_payment_provider, renewal_failures, next_renewal_attempt_at,
  traffic_limit_bytes, device_limit, version, created_at, updated_at)
SELECT i, i, CASE WHEN trial_only THEN NULL ELSE plan_id END, CASE WHEN status = 'pending' THEN NULL ELSE server_id END,
  status, trial_only,
  CASE WHEN ends_at IS NULL THEN NULL ELSE least(ends_at, greatest(c, ends_at - dur * interval '1 day')) END, ends_at,
  wants_renew AND renew IN ('on', 'retry'),
  CASE WHEN saved THEN 'pm_' || substr(md5('pm' || i), 1, 24) END,
  CASE WHEN saved THEN 'yookassa'::payment_provider END,
  CASE WHEN wants_renew AND renew = 'retry' THEN 1 WHEN wants_renew AND renew = 'off' THEN 2 ELSE 0 END,
  CASE WHEN wants_renew AND renew = 'retry' THEN ends_at + interval '24 hours' END,
  CASE WHEN trial_only THEN ${10 * GIB}::bigint END, CASE WHEN trial_only THEN NULL ELSE 3 END,
  version, c + interval '1 minute',
  CASE WHEN status = 'expired' THEN least(as_of, ends_at + interval '5 minutes')
       ELSE least(as_of, greatest(c + interval '1 minute', coalesce(ends_at - dur * interval '1 day', c))) END
FROM renewal`,
    after: `SELECT setval(pg_get_serial_sequence('subscriptions', 'id'), (SELECT max(id) FROM subscriptions))`,
  };
}

/**
 * The panel account of every subscription that was ever placed (all but pending ones), on its
 * subscription's server: synced, except cancelled ones (deleted) and a few failed (0.1 %) or
 * waiting (0.05 %) syncs that the reconciliation should find.
 */
export function accountsStep(): Step {
  const r = draw('s.id', SALT.accountState);
  return {
    name: 'vpn accounts',
    table: 'vpn_accounts',
    bind: [DEFAULT_KEY_PREFIX],
    sql: `
INSERT INTO vpn_accounts (id, subscription_id, server_id, panel_user_key, panel_id, sync_state, desired_version,
  synced_version, last_synced_at, last_error, created_at, updated_at)
SELECT s.id, s.id, s.server_id, $1 || s.id, $1 || s.id, state, s.version,
  CASE WHEN state IN ('failed', 'pending') THEN nullif(s.version - 1, 0) ELSE s.version END,
  s.updated_at, CASE WHEN state = 'failed' THEN 'panel answered 502' END, s.created_at, s.updated_at
FROM (
  SELECT s.*, CASE WHEN s.status = 'cancelled' THEN 'deleted' WHEN ${r} < 0.001 THEN 'failed' WHEN ${r} < 0.0015 THEN 'pending'
    ELSE 'synced' END::vpn_sync_state AS state
  FROM subscriptions s WHERE s.server_id IS NOT NULL
) AS s`,
    after: `SELECT setval(pg_get_serial_sequence('vpn_accounts', 'id'), (SELECT coalesce(max(id), 1) FROM vpn_accounts))`,
  };
}

/** The subscription history's first row: the trial or the purchase that opened each subscription. */
export function historyStep(): Step {
  return {
    name: 'subscription events',
    table: 'subscription_events',
    bind: [],
    sql: `
INSERT INTO subscription_events (subscription_id, kind, to_status, to_ends_at, actor, created_at)
SELECT id, CASE WHEN is_trial THEN 'trial' ELSE 'purchase' END, status, ends_at, 'system', created_at FROM subscriptions`,
  };
}

/** The servers' account counts, as the reconciliation's repair writes them. */
export function serverCountsStep(): Step {
  return {
    name: 'server counts',
    table: 'servers',
    bind: [],
    sql: `
UPDATE servers SET users_count = n FROM (
  SELECT server_id, count(*)::int AS n FROM vpn_accounts WHERE sync_state <> 'deleted' GROUP BY server_id
) AS c WHERE c.server_id = servers.id`,
  };
}
