import type { Billing } from '@vpn/billing';
import type { Database, Plan } from '@vpn/db';

const DAY_MS = 86_400_000;

/** How the bench's customers are made up (fractions of the payments). */
export interface FixtureShape {
  /** Payments settled and timed. */
  count: number;
  /** Payments settled one at a time first (JIT warm-up, per-settlement statement counts). */
  warmup: number;
  /** Buyers who already have a running subscription (extended from its end). */
  existing: number;
  /** Buyers who came through a referral link (first payment rewards them and their referrer). */
  referred: number;
  /** Payments made with a `days` promo code (all share one code: a contended row). */
  promo: number;
  /** Independent async loops used to create the fixture. */
  concurrency: number;
}

/** One pending payment and what its settlement must grant. */
export interface BenchPayment {
  paymentId: string;
  userId: number;
  amountMinor: number;
  currency: string;
  /** Days this payment must add to its buyer's subscription (plan + promo + referee bonus). */
  days: number;
  /** The buyer's subscription end before the bench (running subscriptions only). */
  previousEnd: Date | null;
  referrerId: number | null;
  promo: boolean;
}

export interface Fixture {
  plan: Plan;
  payments: BenchPayment[];
  /** Referrer id → number of referred buyers. */
  referrers: Map<number, number>;
  promoCode: string;
  promoDays: number;
}

/** Runs `fn(i)` for i in [0, n) on `concurrency` loops. */
export async function forEachConcurrent(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const loop = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, loop));
}

/** Spreads `fraction * n` picks evenly over [0, n), deterministically. */
const picked = (i: number, fraction: number) => Math.floor((i + 1) * fraction) > Math.floor(i * fraction);

/**
 * Customers, a plan, a promo code and `count + warmup` pending payments made through billing's
 * own checkout (so each carries the frozen terms settlement reads).
 */
export async function buildFixture(db: Database, billing: Billing, shape: FixtureShape): Promise<Fixture> {
  const total = shape.count + shape.warmup;
  const settings = await billing.settings();
  const plan = await db.repos.plans.create({
    code: 'bench_30d',
    title: { ru: 'Бенч', en: 'Bench' },
    durationDays: 30,
    priceMinor: 19_900,
    currency: 'RUB',
  });
  const promoDays = 7;
  const promoCode = 'BENCHDAYS';
  await db.repos.promoCodes.create({ code: promoCode, kind: 'days', value: promoDays });

  const referrerCount = Math.max(1, Math.round((total * shape.referred) / 4));
  const referrerIds: number[] = [];
  for (let i = 0; i < referrerCount; i++) {
    const { user } = await db.repos.users.upsertFromTelegram({ telegramId: 7_000_000_000 + i, firstName: `Referrer ${i}` });
    referrerIds.push(user.id);
  }

  const payments: BenchPayment[] = new Array<BenchPayment>(total);
  const referrers = new Map<number, number>();
  const now = Date.now();
  await forEachConcurrent(total, shape.concurrency, async (i) => {
    const referrerId = picked(i, shape.referred) ? (referrerIds[i % referrerCount] as number) : null;
    const { user } = await db.repos.users.upsertFromTelegram({ telegramId: 8_000_000_000 + i, firstName: `Buyer ${i}` }, { referrerId });
    let previousEnd: Date | null = null;
    if (picked(i, shape.existing)) {
      previousEnd = new Date(now + 10 * DAY_MS);
      await db.repos.subscriptions.create({
        userId: user.id,
        planId: plan.id,
        status: 'active',
        startsAt: new Date(now - 20 * DAY_MS),
        endsAt: previousEnd,
      });
    }
    const promo = picked(i, shape.promo);
    const { payment } = await billing.ledger.createPendingPayment({
      userId: user.id,
      planId: plan.id,
      provider: 'yookassa',
      idempotencyKey: `bench-${i}`,
      promoCode: promo ? promoCode : null,
    });
    if (referrerId !== null) referrers.set(referrerId, (referrers.get(referrerId) ?? 0) + 1);
    payments[i] = {
      paymentId: payment.id,
      userId: user.id,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      days: plan.durationDays + (promo ? promoDays : 0) + (referrerId !== null ? settings.refereeBonusDays : 0),
      previousEnd,
      referrerId,
      promo,
    };
  });
  return { plan, payments, referrers, promoCode, promoDays };
}
