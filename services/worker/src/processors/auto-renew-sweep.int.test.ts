import { describe, expect, it } from 'vitest';
import { silentLogger } from '@vpn/logger';
import { useWorkerHarness } from '../testing/worker-harness.js';
import { sweepRenewals, type RenewalSweepDeps } from '../auto-renew/renewal-sweep.js';

const DAY = 86_400_000;
const h = useWorkerHarness();

/** `n` subscriptions ending in two hours with auto-renew on saved YooKassa cards that pay. */
async function renewable(n: number): Promise<number[]> {
  const plan = await h.plan({ durationDays: 30 });
  const ids = [];
  for (let i = 0; i < n; i++) {
    const user = await h.customer();
    const sub = await h.db.repos.subscriptions.create({
      userId: user.id,
      planId: plan.id,
      status: 'active',
      startsAt: new Date(Date.now() - 28 * DAY),
      // Two share an end: the page boundary falls inside the run.
      endsAt: new Date(Date.now() + 2 * 3_600_000 + Math.floor(i / 2) * 60_000),
      autoRenew: true,
      savedPaymentMethodId: h.yookassa.addSavedMethod('succeed'),
      savedPaymentProvider: 'yookassa',
    });
    ids.push(sub.id);
  }
  return ids;
}

const sweep = (extra: Partial<RenewalSweepDeps> = {}) =>
  sweepRenewals({ billing: h.billing, producers: h.producers, pageSize: 2, ...extra }, new Date(), silentLogger());

const renewedPayments = async (ids: number[]) => {
  const [rows] = await h.db.sequelize.query(
    "SELECT count(*)::int AS n FROM payments WHERE kind = 'auto_renew' AND status = 'succeeded' AND subscription_id = ANY($1)",
    { bind: [ids] },
  );
  return (rows as Array<{ n: number }>)[0]?.n;
};

describe('auto-renew sweep', () => {
  it('queues every due renewal across pages, charges each once, and a second sweep finds nothing', async () => {
    const ids = await renewable(5);
    expect(await sweep()).toEqual({ queued: 5, deferred: 0 });
    await h.until(async () => (await renewedPayments(ids)) === 5, 20_000, 'five renewals');
    expect(await sweep()).toEqual({ queued: 0, deferred: 0 });
    expect(await renewedPayments(ids)).toBe(5);
  });

  it("paces each provider's charges (delays of n / rate) and defers what exceeds one run's share", async () => {
    await renewable(3);
    // Two charges per 15-minute run: one now, one 450 s later, the third deferred.
    expect(await sweep({ chargesPerSecond: { yookassa: 2 / 900 } })).toEqual({ queued: 2, deferred: 1 });
    const delayed = await h.queues.queue(h.producers.autoRenew.contract).getDelayed();
    expect(delayed.map((j) => j.opts.delay)).toEqual([450_000]);
  });
});
