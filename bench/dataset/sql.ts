/**
 * SQL pieces shared by the generator's steps.
 *
 * Randomness is a hash of the row number and a salt, not `random()`: the same shape and `as_of`
 * always give the same rows (a figure measured today can be measured again on a regenerated set),
 * whatever order or parallelism PostgreSQL picks, and two steps can agree on a row's draw (the
 * subscription step knows whether the user step made a customer a trial-only one).
 */

/** A uniform draw in [0, 1) for row `row` (an SQL expression) and `salt`: 52 bits of `hashint8extended`. */
export function draw(row: string, salt: Salt): string {
  return `((hashint8extended(${row}, ${salt}) & 4503599627370495)::float8 / 4503599627370496.0)`;
}

/**
 * Every draw the steps make, by meaning, so the same fact is read with the same salt everywhere.
 * (Values are arbitrary; only their distinctness matters.)
 */
export const SALT = {
  // users
  username: 1,
  language: 2,
  referred: 3,
  referrer: 4,
  botBlocked: 5,
  botBlockedAt: 6,
  trialUsed: 7,
  source: 8,
  sourceKind: 9,
  lastActivity: 10,
  // subscriptions
  trialOnly: 20,
  plan: 21,
  state: 22,
  endAt: 23,
  sharedEnd: 24,
  savedMethod: 25,
  autoRenew: 26,
  retryState: 27,
  server: 28,
  version: 29,
  accountState: 30,
  // payments
  provider: 40,
  createdAt: 41,
  status: 42,
  recentPending: 43,
  promo: 44,
  kind: 45,
  failure: 46,
} as const;
export type Salt = (typeof SALT)[keyof typeof SALT];

/** `ts` (timestamptz) as JavaScript's `Date#toISOString()` writes it: how the worker's references spell an instant. */
export function isoOf(ts: string): string {
  return `to_char(${ts} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The four seeded plans as arrays in sort order (`ids[1]` is the monthly plan). */
export const PLANS_CTE = `plan AS (
  SELECT array_agg(id ORDER BY sort_order, id) AS ids,
         array_agg(duration_days ORDER BY sort_order, id) AS days,
         array_agg(price_minor ORDER BY sort_order, id) AS prices,
         array_agg(price_stars ORDER BY sort_order, id) AS stars
  FROM plans WHERE code IN ('m1', 'm3', 'm6', 'm12'))`;

/** Plan index 1..4 (m1 60 %, m3 20 %, m6 12 %, m12 8 %) from a draw. */
export function planIndex(row: string): string {
  const r = draw(row, SALT.plan);
  return `(CASE WHEN ${r} < 0.6 THEN 1 WHEN ${r} < 0.8 THEN 2 WHEN ${r} < 0.92 THEN 3 ELSE 4 END)`;
}

/** Whether customer `row` only ever took the trial (12 %). */
export function trialOnly(row: string): string {
  return `(${draw(row, SALT.trialOnly)} < 0.12)`;
}
