import type { Billing, RenewalCursor } from '@vpn/billing';
import type { PaymentProvider } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { Producers } from '@vpn/queues';

/** Candidates read per page (one `addBulk` of attempts per page). */
const PAGE = 500;
/** The sweep's period: a run plans this much of each provider's charging time. */
const RUN_MS = 15 * 60_000;
/**
 * Saved-method charges a second we start per provider. Well inside what each provider takes
 * from one shop (YooKassa answers 429 well above this), and at 200 ms a charge the two attempt
 * jobs a replica runs at once keep up with it.
 */
export const DEFAULT_CHARGES_PER_SECOND = 5;

export interface RenewalSweepDeps {
  billing: Pick<Billing, 'autoRenew'>;
  producers: Pick<Producers, 'autoRenew'>;
  /** Charges a second per provider (default {@link DEFAULT_CHARGES_PER_SECOND} for every one). */
  chargesPerSecond?: Partial<Record<PaymentProvider, number>>;
  pageSize?: number;
}

export interface RenewalSweepResult {
  queued: number;
  /** Due but beyond this run's share of a provider's rate: the next run takes them. */
  deferred: number;
}

/**
 * The auto-renew sweep: walks everything due (a backlog of any size, page by page on
 * `(ends_at, id)`), and queues one `attempt` job per candidate, paced per provider: the n-th
 * charge of a provider in this run is delayed n / rate seconds, and a provider gets at most one
 * run's worth (rate × 15 minutes); the rest is deferred to the next run. Job ids (subscription,
 * end, attempt) make a sweep that runs twice, or on two replicas, queue each charge once.
 */
export async function sweepRenewals(deps: RenewalSweepDeps, now: Date, log: Logger): Promise<RenewalSweepResult> {
  const limit = deps.pageSize ?? PAGE;
  const planned = new Map<PaymentProvider, number>();
  let queued = 0;
  let deferred = 0;
  let after: RenewalCursor | undefined;
  do {
    const page = await deps.billing.autoRenew.duePage(now, { limit, ...(after ? { after } : {}) });
    const jobs = [];
    for (const c of page.candidates) {
      const rate = deps.chargesPerSecond?.[c.provider] ?? DEFAULT_CHARGES_PER_SECOND;
      const n = planned.get(c.provider) ?? 0;
      if (n >= (rate * RUN_MS) / 1000) {
        deferred++;
        continue;
      }
      planned.set(c.provider, n + 1);
      const delay = Math.floor((n / rate) * 1000);
      jobs.push({
        payload: {
          scope: 'attempt' as const,
          subscriptionId: c.subscriptionId,
          attempt: c.attempt,
          dueAt: c.dueAt,
          ...(c.retryAt ? { retryAt: c.retryAt } : {}),
        },
        ...(delay > 0 ? { options: { delay } } : {}),
      });
    }
    await deps.producers.autoRenew.addBulk(jobs);
    queued += jobs.length;
    after = page.next ?? undefined;
  } while (after);
  if (deferred > 0) log.warn({ queued, deferred }, 'auto-renew: more due than the providers take in one run; the rest next run');
  return { queued, deferred };
}
