import { describe, expect, it } from 'vitest';
import { makePayment, makeSubscription, useTestDatabase } from '../testing/index.js';

describe('gauges.business (the worker’s business gauges)', () => {
  const db = useTestDatabase();

  it('counts active and paying subscriptions and today’s succeeded payments per currency', async () => {
    const repos = db().repos;
    await db().truncateAll();
    await makeSubscription(repos, { isTrial: true });
    await makeSubscription(repos);
    await makeSubscription(repos, { status: 'expired' });
    // Active in status but past its end (the sweep has not run yet): no access, not counted.
    await makeSubscription(repos, { startsAt: new Date(Date.now() - 120_000), endsAt: new Date(Date.now() - 60_000) });
    const paid = [await makePayment(repos), await makePayment(repos, { amountMinor: 100, currency: 'XTR', provider: 'stars' })];
    await makePayment(repos, { amountMinor: 5 });
    const yesterday = await makePayment(repos);
    await db().sequelize.query(
      `UPDATE payments SET status = 'succeeded', paid_at = now() WHERE id IN ('${paid.map((p) => p.id).join("','")}')`,
    );
    await db().sequelize.query(
      `UPDATE payments SET status = 'succeeded', paid_at = now() - interval '2 days' WHERE id = '${yesterday.id}'`,
    );

    const g = await repos.gauges.business();
    expect(g.active).toBe(2);
    expect(g.paying).toBe(1);
    expect(g.revenueToday.sort((a, b) => a.currency.localeCompare(b.currency))).toEqual([
      { currency: 'RUB', amountMinor: 19_900 },
      { currency: 'XTR', amountMinor: 100 },
    ]);
    expect(g.broadcastPending).toBe(0);
  });
});
