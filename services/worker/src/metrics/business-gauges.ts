import type { Database } from '@vpn/db';
import { metrics, onScrape } from '@vpn/metrics';

/**
 * Refreshes the business gauges (active and paying subscriptions, revenue today per currency,
 * broadcast recipients pending) from the database at each scrape. The worker exports them, once
 * per replica (dashboards take the max). Returns the unregister function.
 */
export function exportBusinessGauges(db: Pick<Database, 'repos'>): () => void {
  return onScrape('business', async () => {
    const g = await db.repos.gauges.business();
    metrics.subscriptionsActive.set(g.active);
    metrics.subscriptionsPaying.set(g.paying);
    metrics.broadcastPending.set(g.broadcastPending);
    // Yesterday's currencies go: the gauge says what today holds.
    metrics.revenueToday.reset();
    for (const r of g.revenueToday) metrics.revenueToday.set({ currency: r.currency }, r.amountMinor);
  });
}
