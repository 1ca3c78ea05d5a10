import { settlementQueue } from '@vpn/queues';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../testing/harness.js';

const h = useApiHarness({ queues: true });

describe('Bull Board behind the dashboard’s sign-in', () => {
  it('is shown to owners and admins only', async () => {
    expect((await h.call(null, 'GET', '/api/queues/')).status).toBe(401);
    for (const role of ['support', 'finance', 'marketing', 'viewer'] as const) {
      const session = await h.signIn(role);
      expect((await h.call(session, 'GET', '/api/queues/api/queues')).status, role).toBe(403);
    }
    const admin = await h.signIn('admin');
    const page = await fetch(`${h.url}/api/queues/`, { headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('<div id="root">');
    const list = await h.call(admin, 'GET', '/api/queues/api/queues');
    expect(list.status).toBe(200);
    expect((list.body.queues as Array<{ name: string }>).map((q) => q.name)).toContain(settlementQueue.name);
  });

  it('retries failed jobs from its own page only, and audits each change', async () => {
    const queue = h.queues!.queue(settlementQueue);
    await queue.add({ paymentEventId: '42' }, { attempts: 1 });
    // As a worker does: take the job, then fail it for good.
    const job = (await queue.getNextJob()) as Awaited<ReturnType<typeof queue.getJob>>;
    await job!.moveToFailed({ message: 'panel down' });
    expect(await queue.getFailedCount()).toBe(1);
    const owner = await h.signIn('owner');
    const path = `/api/queues/api/queues/${settlementQueue.name}/retry/failed`;

    // Another site's page: refused, nothing retried (the cookies are SameSite=Strict too).
    const foreign = await h.call(owner, 'PUT', path, {}, { origin: 'https://evil.example' });
    expect(foreign.status, JSON.stringify(foreign.body)).toBe(403);
    expect(await queue.getFailedCount()).toBe(1);

    const retried = await h.call(owner, 'PUT', path, {}, { origin: h.url });
    expect(retried.status).toBe(200);
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getWaitingCount()).toBe(1);
    const [entry] = await h.db.repos.auditLog.list({ entity: 'queue' });
    expect(entry).toMatchObject({ action: 'queue.change', actorId: owner.adminId, entityId: settlementQueue.name });
  });
});
