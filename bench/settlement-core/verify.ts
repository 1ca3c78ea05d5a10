import type { Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { Fixture } from './fixture.js';

const DAY_MS = 86_400_000;

/** Rows of a raw SELECT. */
async function select<T>(db: Database, sql: string): Promise<T[]> {
  const [rows] = await db.sequelize.query(sql);
  return rows as T[];
}

/**
 * Money and access after the run: every payment succeeded exactly once, every buyer's
 * subscription moved by exactly the days bought (from its old end, or from its start when new),
 * every referrer got exactly their bonus, the promo was spent once per promo payment, and the
 * outbox has one notice per payment and one provisioning row per subscription change.
 * Returns the problems found (empty = all good).
 */
export async function verify(db: Database, billing: Billing, fixture: Fixture): Promise<string[]> {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const n = fixture.payments.length;
  const { referrerBonusDays } = await billing.settings();

  const statuses = await select<{ status: string; n: number }>(db, 'SELECT status, count(*)::int AS n FROM payments GROUP BY status');
  expect(
    statuses.length === 1 && statuses[0]?.status === 'succeeded' && statuses[0].n === n,
    `payments: expected ${n} succeeded, got ${JSON.stringify(statuses)}`,
  );

  const perPayment = await select<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM subscription_events WHERE kind IN ('purchase', 'renewal') GROUP BY payment_id HAVING count(*) <> 1`,
  );
  const extended = await select<{ n: number }>(
    db,
    `SELECT count(DISTINCT payment_id)::int AS n FROM subscription_events WHERE kind IN ('purchase', 'renewal')`,
  );
  expect(
    perPayment.length === 0 && extended[0]?.n === n,
    `extensions: expected one per payment (${n}), ${perPayment.length} payments extended more than once, ${extended[0]?.n ?? 0} extended`,
  );

  const subs = await select<{ user_id: string; n: number; starts_at: Date; ends_at: Date }>(
    db,
    `SELECT user_id, count(*) OVER (PARTITION BY user_id)::int AS n, starts_at, ends_at FROM subscriptions`,
  );
  const byUser = new Map(subs.map((s) => [Number(s.user_id), s]));
  expect(
    subs.every((s) => s.n === 1),
    'subscriptions: some customer has more than one',
  );
  let wrongDays = 0;
  for (const p of fixture.payments) {
    const sub = byUser.get(p.userId);
    const from = p.previousEnd?.getTime() ?? sub?.starts_at.getTime() ?? 0;
    if (!sub || sub.ends_at.getTime() - from !== p.days * DAY_MS) wrongDays++;
  }
  expect(wrongDays === 0, `buyers: ${wrongDays} subscriptions not extended by exactly the days bought`);
  let wrongBonus = 0;
  for (const [referrerId, referees] of fixture.referrers) {
    const sub = byUser.get(referrerId);
    if (!sub || sub.ends_at.getTime() - sub.starts_at.getTime() !== referees * referrerBonusDays * DAY_MS) wrongBonus++;
  }
  expect(wrongBonus === 0, `referrers: ${wrongBonus} did not get exactly ${referrerBonusDays} days per referee`);

  const referred = fixture.payments.filter((p) => p.referrerId !== null).length;
  const rewards = await select<{ n: number }>(db, 'SELECT count(*)::int AS n FROM referral_rewards');
  expect(rewards[0]?.n === referred, `referral rewards: expected ${referred}, got ${rewards[0]?.n}`);

  const promos = fixture.payments.filter((p) => p.promo).length;
  const promo = await select<{ uses: number; redemptions: number }>(
    db,
    `SELECT p.uses_count AS uses, (SELECT count(*)::int FROM promo_redemptions r WHERE r.promo_code_id = p.id) AS redemptions FROM promo_codes p WHERE p.code = '${fixture.promoCode}'`,
  );
  expect(promo[0]?.uses === promos && promo[0].redemptions === promos, `promo: expected ${promos} uses, got ${JSON.stringify(promo[0])}`);

  const outbox = await select<{ notices: number; provisions: number; events: number }>(
    db,
    `SELECT (SELECT count(*)::int FROM outbox WHERE dedupe_key LIKE 'notify:%:payment_succeeded:%') AS notices,
            (SELECT count(*)::int FROM outbox WHERE kind = 'provision') AS provisions,
            (SELECT count(*)::int FROM subscription_events) AS events`,
  );
  const o = outbox[0];
  expect(o?.notices === n, `outbox: expected ${n} payment notices, got ${o?.notices}`);
  expect(o?.provisions === o?.events, `outbox: ${o?.provisions} provisioning rows for ${o?.events} subscription changes`);
  return problems;
}
