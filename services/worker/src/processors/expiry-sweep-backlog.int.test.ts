import { describe, expect, it } from 'vitest';
import type { Job } from '@vpn/queues';
import { makeSubscription } from '@vpn/db/testing';
import { silentLogger } from '@vpn/logger';
import { useWorkerHarness } from '../testing/worker-harness.js';
import { createExpirySweepProcessor, type ExpirySweepDeps } from './expiry-sweep.processor.js';

const DAY = 86_400_000;
const h = useWorkerHarness();

/** One expiry sweep with `limits` (small pages and bounds: the production code on small data). */
async function sweep(limits: ExpirySweepDeps['limits']) {
  const processor = createExpirySweepProcessor({ ...h.deps, limits });
  return (await processor({}, { job: {} as Job, log: silentLogger() })) as { expired: number; stoppedBy: string };
}

/** `n` active subscriptions whose end passed an hour ago: the backlog of a sweep that did not run. */
async function backlog(n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await makeSubscription(h.db.repos, { startsAt: new Date(Date.now() - 30 * DAY), endsAt: new Date(Date.now() - 3_600_000) });
}

const stillActive = async () => {
  const [rows] = await h.db.sequelize.query("SELECT count(*)::int AS n FROM subscriptions WHERE status = 'active' AND ends_at <= now()");
  return (rows as Array<{ n: number }>)[0]?.n;
};

describe('expiry sweep backlog', () => {
  it('clears a backlog larger than a page in one run, and a second run finds nothing', async () => {
    await backlog(7);
    expect(await sweep({ page: 3 })).toMatchObject({ expired: 7, stoppedBy: 'done' });
    expect(await stillActive()).toBe(0);
    expect(await sweep({ page: 3 })).toMatchObject({ expired: 0, stoppedBy: 'done' });
  });

  it('stops while the panels are behind (provisioning backlog) and at the per-run bound; the next run goes on', async () => {
    await backlog(5);
    expect(await sweep({ page: 2, provisioningBacklog: 0 })).toMatchObject({ expired: 2, stoppedBy: 'panels' });
    expect(await sweep({ page: 2, maxPerRun: 1 })).toMatchObject({ expired: 1, stoppedBy: 'max' });
    expect(await sweep({ page: 2 })).toMatchObject({ expired: 2, stoppedBy: 'done' });
    expect(await stillActive()).toBe(0);
  });
});
