import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../testing/worker-harness.js';

const h = useWorkerHarness();

describe('payment poll (webhook fallback)', () => {
  it('settles a paid invoice whose notification never arrived, once, however often it is polled', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
    const unpaid = await h.cryptoCheckout(user, plan);
    h.cryptoPay.pay(invoiceId); // no webhook URL: the notification is held, never delivered
    await Promise.all([1, 2, 3].map(() => h.producers.paymentPoll.add({ scope: 'sweep', olderThanMinutes: 1 }).then(() => undefined)));
    // Too young for a one-minute threshold: nothing happens yet.
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('pending');

    await h.db.sequelize.query("UPDATE payments SET created_at = now() - interval '15 minutes'");
    for (let i = 0; i < 3; i++) await h.producers.paymentPoll.add({ scope: 'sweep' });
    await h.until(async () => (await h.db.repos.payments.get(paymentId))?.status === 'succeeded', 10_000, 'settled by poll');
    await h.producers.paymentPoll.add({ scope: 'payment', paymentId });
    await new Promise((r) => setTimeout(r, 300));
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events.map((e) => e.providerEventId)).toEqual([`poll:cryptopay:${invoiceId}:succeeded`]);
    const purchases = await h.db.sequelize.query("SELECT count(*)::int AS n FROM subscription_events WHERE kind = 'purchase'");
    expect((purchases[0] as Array<{ n: number }>)[0]?.n).toBe(1);
    expect((await h.db.repos.payments.get(unpaid.paymentId))?.status).toBe('pending');
  });
});
