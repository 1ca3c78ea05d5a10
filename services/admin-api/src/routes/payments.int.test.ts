import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../testing/harness.js';

const h = useApiHarness();

describe('payments over the admin API', () => {
  it('refunds once per request id; access ends and the audit log says who', async () => {
    const finance = await h.signIn('finance');
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    const payment = await h.purchase(user, plan);

    const detail = await h.call(finance, 'GET', `/api/payments/${payment.id}`);
    expect(detail.body.payment).toMatchObject({ id: payment.id, status: 'succeeded' });

    const requestId = randomUUID();
    const [a, b] = await Promise.all([
      h.call(finance, 'POST', `/api/payments/${payment.id}/refund`, { requestId, reason: 'asked' }),
      h.call(finance, 'POST', `/api/payments/${payment.id}/refund`, { requestId, reason: 'asked' }),
    ]);
    expect([a, b].filter((r) => r.status !== 200).map((r) => r.body as unknown)).toEqual([]);
    expect(h.yookassa.refunds().filter((r) => r.payment_id === payment.externalId)).toHaveLength(1);
    expect((await h.db.repos.payments.get(payment.id))!.status).toBe('refunded');
    const [sub] = await h.db.repos.subscriptions.listByUser(user.id);
    expect(sub!.status === 'cancelled' || sub!.endsAt!.getTime() <= h.clock.now().getTime()).toBe(true);
    const audit = await h.call(finance, 'GET', `/api/audit?entity=user&entityId=${user.id}`);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'payment.refund', actorId: finance.adminId })]);
  });

  it('refuses a refund to roles without payments:refund', async () => {
    const user = await h.customer();
    const payment = await h.purchase(user, await h.plan());
    for (const role of ['support', 'marketing', 'viewer'] as const) {
      const res = await h.call(await h.signIn(role), 'POST', `/api/payments/${payment.id}/refund`, { requestId: randomUUID() });
      expect(res.status, role).toBe(403);
    }
    expect((await h.db.repos.payments.get(payment.id))!.status).toBe('succeeded');
    expect(
      (await h.call(await h.signIn('finance'), 'POST', `/api/payments/${payment.id}/refund`, { requestId: 'not-a-uuid' })).body.field,
    ).toBe('requestId');
  });

  it('lists newest first with filters and a cursor', async () => {
    const viewer = await h.signIn('viewer');
    const user = await h.customer();
    const plan = await h.plan();
    const paid = [];
    for (let i = 0; i < 3; i++) paid.push(await h.purchase(user, plan));
    const page1 = await h.call(viewer, 'GET', `/api/payments?status=succeeded&limit=2`);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await h.call(
      viewer,
      'GET',
      `/api/payments?status=succeeded&limit=2&before=${encodeURIComponent(page1.body.next as string)}`,
    );
    const ids = [...(page1.body.items as Array<{ id: string }>), ...(page2.body.items as Array<{ id: string }>)].map((p) => p.id);
    expect(new Set(ids)).toEqual(new Set(paid.map((p) => p.id)));
    expect((await h.call(viewer, 'GET', '/api/payments?status=refunded')).body.items).toEqual([]);
    expect((await h.call(viewer, 'GET', '/api/payments?before=garbage')).status).toBe(422);
  });
});
