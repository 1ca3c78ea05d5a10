import { describe, expect, it } from 'vitest';
import type { Plan, User } from '@vpn/db';
import { useWorkerHarness } from '../testing/worker-harness.js';

// A partial refund the provider reports (a staff refund that was still processing when asked, or
// one made in the provider's dashboard) is written to the payment's refunds and takes its days
// back, once by its refund id; one that cannot be recorded is left on the event for a human.
const h = useWorkerHarness();
const DAY = 86_400_000;

async function paid(): Promise<{ user: User; plan: Plan; paymentId: string }> {
  const user = await h.customer();
  const plan = await h.plan({ durationDays: 30 });
  const { paymentId } = await h.checkout(user, plan, 'wata');
  h.wata.pay(paymentId);
  await h.billing.settlement.settlePayment({
    paymentId,
    provider: 'wata',
    providerStatus: 'succeeded',
    amountMinor: plan.priceMinor,
    currency: plan.currency,
  });
  return { user, plan, paymentId };
}

/** WATA's refund webhook as the webhooks service stores it: the payment still paid, the refund's part. */
async function refundReported(paymentId: string, refundId: string, amountMinor: number, eventId = `${refundId}:Paid`): Promise<number> {
  const payment = (await h.db.repos.payments.get(paymentId))!;
  const notification = {
    provider: 'wata',
    paymentId,
    externalId: paymentId,
    eventId,
    status: 'succeeded',
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    occurredAt: new Date().toISOString(),
    refund: { refundId, amountMinor, status: 'succeeded' },
  };
  const { event } = await h.db.repos.paymentEvents.insertOnce({
    provider: 'wata',
    providerEventId: eventId,
    kind: 'refund',
    rawPayload: { notification, raw: {} },
    paymentId,
  });
  await h.producers.settlement.add({ paymentEventId: event.id });
  await h.until(
    async () => {
      const e = await h.db.repos.paymentEvents.get(event.id);
      return e?.processedAt !== null || e?.error !== null;
    },
    10_000,
    'the refund handled',
  );
  return event.id;
}

describe('a partial refund reported by the provider', () => {
  it('is recorded on the payment and takes its days back, once however often it is reported', async () => {
    const { user, paymentId } = await paid();
    const payment = (await h.db.repos.payments.get(paymentId))!;
    const before = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt!.getTime();
    const half = Math.floor(payment.amountMinor / 2);
    await refundReported(paymentId, 'wata-refund-1', half);
    // The same refund again (a redelivery under another event id, or reconciliation): nothing more.
    await refundReported(paymentId, 'wata-refund-1', half, 'wata-refund-1:again');
    const after = (await h.db.repos.payments.get(paymentId))!;
    expect(after.status).toBe('succeeded');
    expect(after.metadata.refunds).toEqual([expect.objectContaining({ refundId: 'wata-refund-1', amountMinor: half, days: 15 })]);
    const ends = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt!.getTime();
    expect(Math.round((before - ends) / DAY)).toBe(15);
    const refundNotices = async () => (await h.messagesTo(user)).filter((t) => t.startsWith('↩️'));
    await h.until(async () => (await refundNotices()).length > 0, 10_000, 'the refund notice');
    expect(await refundNotices()).toHaveLength(1);
  });

  it('more than is left is not recorded: the event says why, the payment is unchanged', async () => {
    const { paymentId } = await paid();
    const payment = (await h.db.repos.payments.get(paymentId))!;
    const eventId = await refundReported(paymentId, 'wata-refund-big', payment.amountMinor + 100);
    const event = await h.db.repos.paymentEvents.get(eventId);
    expect(event?.processedAt).toBeNull();
    expect(event?.error).toMatch(/^refund not recorded: /);
    expect((await h.db.repos.payments.get(paymentId))!.metadata.refunds).toBeUndefined();
  });
});
