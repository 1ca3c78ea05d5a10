import { describe, expect, it } from 'vitest';
import { newRequestId, refusal, useBackofficeHarness } from '../testing/index.js';

describe('care actions on the real database', () => {
  const h = useBackofficeHarness();

  it('block suspends the active subscription with a reason in one transaction; unblock resumes it', async () => {
    const support = await h.actor('support');
    const user = await h.customer();
    await h.backoffice.customers.extend(support, { userId: user.id, days: 30 });
    expect(await refusal(h.backoffice.customers.block(support, { userId: user.id, reason: '  ' }))).toBe('INVALID_INPUT:reason');
    const blocked = await h.backoffice.customers.block(support, { userId: user.id, reason: 'chargeback fraud' });
    expect(blocked.customer).toMatchObject({ blocked: true, blockedReason: 'chargeback fraud' });
    expect(blocked.subscription?.after.status).toBe('suspended');
    expect((await h.backoffice.customers.block(support, { userId: user.id, reason: 'again' })).changed).toBe(false);
    // A blocked customer cannot open a checkout.
    const plan = await h.plan();
    await expect(h.purchase(user, plan)).rejects.toMatchObject({ code: 'USER_BLOCKED' });
    const unblocked = await h.backoffice.customers.unblock(support, { userId: user.id });
    expect(unblocked.customer).toMatchObject({ blocked: false, blockedReason: null });
    expect(unblocked.subscription?.after.status).toBe('active');
    const entries = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(entries.map((e) => e.action)).toEqual(['customer.unblock', 'customer.block', 'customer.extend']);
    expect(entries[1]).toMatchObject({
      actorId: support.adminId,
      data: {
        reason: 'chargeback fraud',
        before: { customer: { blocked: false }, subscription: { status: 'active' } },
        after: { customer: { blocked: true, blockedReason: 'chargeback fraud' }, subscription: { status: 'suspended' } },
      },
    });
  });

  it('reissue and reset traffic queue one panel job per request (a repeated press is one job) with an audit entry', async () => {
    const support = await h.actor('support');
    const user = await h.customer();
    const { after: sub } = await h.backoffice.customers.extend(support, { userId: user.id, days: 30 });
    await h.drainOutbox();
    const rk = newRequestId();
    expect(await h.backoffice.customers.reissueKey(support, { userId: user.id, requestId: rk })).toEqual({ queued: true });
    expect(await h.backoffice.customers.reissueKey(support, { userId: user.id, requestId: rk })).toEqual({ queued: false });
    const rt = newRequestId();
    expect(await h.backoffice.customers.resetTraffic(support, { userId: user.id, requestId: rt, reason: 'bought a bigger plan' })).toEqual({
      queued: true,
    });
    const rows = await h.drainOutbox();
    expect(rows.map((r) => [r.kind, r.payload])).toEqual([
      ['provision', { subscriptionId: sub.id, version: `rk-${rk}`, reason: 'reissue' }],
      ['provision', { subscriptionId: sub.id, version: `rt-${rt}`, reason: 'reset_traffic' }],
    ]);
    const actions = (await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) })).map((e) => [
      e.action,
      e.data.requestId,
    ]);
    expect(actions.slice(0, 2)).toEqual([
      ['customer.reset_traffic', rt],
      ['customer.reissue', rk],
    ]);
    expect(await refusal(h.backoffice.customers.reissueKey(support, { userId: user.id, requestId: 'bad id!' }))).toBe(
      'INVALID_INPUT:requestId',
    );
  });

  it('reissue and reset traffic are refused when no subscription is running', async () => {
    const support = await h.actor('support');
    const user = await h.customer();
    expect(await refusal(h.backoffice.customers.reissueKey(support, { userId: user.id, requestId: newRequestId() }))).toBe(
      'NOT_ALLOWED:userId',
    );
    await h.backoffice.customers.extend(support, { userId: user.id, days: 1 });
    h.clock.advanceDays(2);
    expect(await refusal(h.backoffice.customers.resetTraffic(support, { userId: user.id, requestId: newRequestId() }))).toBe(
      'NOT_ALLOWED:userId',
    );
  });

  it('a message to the customer is one notification per request, its text kept in the audit entry; huge texts change nothing', async () => {
    const support = await h.actor('support');
    const user = await h.customer();
    const requestId = newRequestId();
    const text = 'Hello! Your <b>server</b> was moved & works again.';
    expect(await h.backoffice.customers.message(support, { userId: user.id, text, requestId })).toEqual({ queued: true });
    expect(await h.backoffice.customers.message(support, { userId: user.id, text, requestId })).toEqual({ queued: false });
    const [row, ...more] = await h.drainOutbox();
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      kind: 'notify',
      payload: { userId: user.id, kind: 'staff_message', reference: `staff:${requestId}`, params: { text } },
      dedupeKey: `notify:${user.id}:staff_message:staff:${requestId}`,
    });
    const [entry] = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(entry).toMatchObject({ action: 'customer.message', data: { text, requestId } });
    expect(
      await refusal(h.backoffice.customers.message(support, { userId: user.id, text: 'x'.repeat(2001), requestId: newRequestId() })),
    ).toBe('INVALID_INPUT:text');
    expect(await refusal(h.backoffice.customers.message(support, { userId: user.id, text: '', requestId: newRequestId() }))).toBe(
      'INVALID_INPUT:text',
    );
    expect(await h.drainOutbox()).toEqual([]);
  });
});
