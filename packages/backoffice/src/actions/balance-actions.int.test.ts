import { describe, expect, it } from 'vitest';
import { newRequestId, refusal, useBackofficeHarness } from '../testing/index.js';

describe('staff adjust a balance, and refund a plan paid from it', () => {
  const h = useBackofficeHarness();

  it('a credit and a debit with reasons, each audited with before and after; a repeated press adjusts once', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const requestId = newRequestId();
    const credit = { userId: user.id, amountMinor: 30_000, reason: 'compensation for the outage', requestId };
    expect(await h.backoffice.customers.adjustBalance(finance, credit)).toMatchObject({ changed: true, balanceMinor: 30_000 });
    expect(await h.backoffice.customers.adjustBalance(finance, credit)).toMatchObject({ changed: false, balanceMinor: 30_000 });
    await h.backoffice.customers.adjustBalance(finance, {
      userId: user.id,
      amountMinor: -10_000,
      reason: 'mistake',
      requestId: newRequestId(),
    });
    expect(await h.billing.balance.amount(user.id)).toBe(20_000);
    const entries = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id), actionPrefix: 'customer.balance_adjust' });
    expect(entries.map((e) => [e.actorId, e.data.amountMinor, e.data.reason, e.data.after])).toEqual([
      [finance.adminId, -10_000, 'mistake', { balanceMinor: 20_000 }],
      [finance.adminId, 30_000, 'compensation for the outage', { balanceMinor: 30_000 }],
    ]);
    const [entry] = await h.billing.balance.entries(user.id, { limit: 1 });
    expect(entry).toMatchObject({ kind: 'adjustment', reason: 'mistake', actor: `admin:${finance.adminId}` });
  });

  it('refuses a debit beyond the balance, no reason, a zero amount and roles without the permission, writing nothing', async () => {
    const user = await h.customer();
    const admin = await h.actor('admin');
    const adjust = (amountMinor: number, reason = 'why') => ({ userId: user.id, amountMinor, reason, requestId: newRequestId() });
    expect(await refusal(h.backoffice.customers.adjustBalance(admin, adjust(-1)))).toBe('NOT_ALLOWED');
    expect(await refusal(h.backoffice.customers.adjustBalance(admin, adjust(100, '')))).toBe('INVALID_INPUT:reason');
    expect(await refusal(h.backoffice.customers.adjustBalance(admin, adjust(0)))).toBe('INVALID_INPUT:amountMinor');
    for (const role of ['support', 'marketing', 'viewer'] as const)
      expect(await refusal(h.backoffice.customers.adjustBalance(await h.actor(role), adjust(100)))).toBe('FORBIDDEN');
    expect(await h.billing.balance.amount(user.id)).toBe(0);
    expect(await h.db.repos.auditLog.list()).toEqual([]);
  });

  it('a plan paid from the balance is refunded to the balance by staff, without any provider', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    await h.backoffice.customers.adjustBalance(finance, {
      userId: user.id,
      amountMinor: 20_000,
      reason: 'gift',
      requestId: newRequestId(),
    });
    const bought = await h.billing.balance.payForPlan({ userId: user.id, planId: plan.id, idempotencyKey: 'bal-1' });
    expect(await h.billing.balance.amount(user.id)).toBe(100);
    const result = await h.backoffice.payments.refund(finance, {
      paymentId: bought.payment.id,
      requestId: newRequestId(),
      reason: 'asked',
    });
    expect(result).toMatchObject({ outcome: 'refunded', payment: { status: 'refunded', provider: 'balance' } });
    expect(await h.billing.balance.amount(user.id)).toBe(20_000);
    expect(
      await refusal(h.backoffice.payments.refund(finance, { paymentId: bought.payment.id, requestId: newRequestId(), amountMinor: 100 })),
    ).toMatch(/^NOT_ALLOWED/);
  });
});
