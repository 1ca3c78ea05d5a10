import { describe, expect, it } from 'vitest';
import type { Plan, User } from '@vpn/db';
import { storePaidNotification, useWorkerHarness } from '../testing/worker-harness.js';

// Issue 11 item 10: a success reported for a payment we closed is confirmed with the provider's
// API before it changes anything; one the provider does not confirm grants nothing and is left for a human.
const h = useWorkerHarness();

/** WATA's `Paid` webhook for the order's payment transaction, stored as the webhooks service stores it, and settled. */
async function latePaid(paymentId: string): Promise<number> {
  const paid = h.wata.transactions(paymentId).find((t) => t.kind === 'Payment' && t.status === 'Paid')!;
  const eventId = await storePaidNotification(h, {
    provider: 'wata',
    paymentId,
    externalId: paymentId,
    eventId: `${String(paid.id)}:Paid`,
  });
  await h.until(
    async () => {
      const e = await h.db.repos.paymentEvents.get(eventId);
      return e?.processedAt !== null || e?.error !== null;
    },
    10_000,
    'the late Paid handled',
  );
  return eventId;
}

async function wataPaid(): Promise<{ user: User; plan: Plan; paymentId: string }> {
  const user = await h.customer();
  const plan = await h.plan({ durationDays: 30 });
  const { paymentId } = await h.checkout(user, plan, 'wata');
  h.wata.pay(paymentId);
  return { user, plan, paymentId };
}

describe('a late success is confirmed with the provider first', () => {
  it('WATA: paid, refunded at WATA (refund reported first: cancelled with us), then the Paid arrives: nothing granted, left for a human', async () => {
    const { user, paymentId } = await wataPaid();
    const payment = (await h.db.repos.payments.get(paymentId))!;
    await h.payments.get('wata').refund({
      externalId: paymentId,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      idempotencyKey: `refund-${paymentId}`,
      reason: 'operator refund in the WATA dashboard',
    });
    // The refund's webhook came first: refunded before we saw it succeed, so cancelled with us.
    await h.billing.settlement.settlePayment({
      paymentId,
      provider: 'wata',
      providerStatus: 'refunded',
      amountMinor: payment.amountMinor,
      currency: payment.currency,
    });
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('cancelled');

    const eventId = await latePaid(paymentId);
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('cancelled');
    expect(await h.db.repos.subscriptions.getCurrentForUser(user.id)).toBeNull();
    const event = await h.db.repos.paymentEvents.get(eventId);
    expect(event?.processedAt).toBeNull();
    expect(event?.error).toMatch(/^unconfirmed late success: the provider says refunded/);
    const alerts = (await h.db.repos.auditLog.list({ entity: 'payment', entityId: paymentId })).map((a) => a.action);
    expect(alerts).toContain('alert.late_success_unconfirmed');
    expect(alerts).not.toContain('payment.late_success');
  });

  it('WATA: cancelled with us, then really paid on the same link: confirmed, settled once as a late success', async () => {
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30 });
    const { paymentId } = await h.checkout(user, plan, 'wata');
    await h.billing.ledger.cancelPayment(paymentId, 'cancelled_by_customer');
    h.wata.pay(paymentId);
    await latePaid(paymentId);
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('succeeded');
    expect((await h.db.repos.subscriptions.getCurrentForUser(user.id))?.status).toBe('active');
  });
});
