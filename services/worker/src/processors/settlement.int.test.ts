import { describe, expect, it } from 'vitest';
import { storePaidInvoice, useWorkerHarness } from '../testing/worker-harness.js';

const DAY = 86_400_000;
const h = useWorkerHarness({ replicas: 2 });

describe('settlement → provisioning → notification', () => {
  it('a paid invoice extends the subscription once, creates one panel account and tells the customer once', async () => {
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30 });
    const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
    h.cryptoPay.pay(invoiceId);
    const before = Date.now();
    // The webhook's event, plus the same news found by polls, all at once.
    await Promise.all([
      storePaidInvoice(h, paymentId, invoiceId),
      ...Array.from({ length: 9 }, (_, i) => storePaidInvoice(h, paymentId, invoiceId, `poll:cryptopay:${invoiceId}:succeeded:${i}`)),
    ]);

    await h.until(async () => (await h.messagesTo(user)).length >= 2, 15_000, 'two messages');
    const payment = await h.db.repos.payments.get(paymentId);
    expect(payment?.status).toBe('succeeded');
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(sub?.status).toBe('active');
    const days = ((sub?.endsAt?.getTime() ?? 0) - before) / DAY;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    const events = await h.db.sequelize.query("SELECT count(*)::int AS n FROM subscription_events WHERE kind = 'purchase'");
    expect((events[0] as Array<{ n: number }>)[0]?.n).toBe(1);
    expect(h.panel.userKeys()).toEqual([`vpn_s${sub?.id}`]);
    await h.until(
      async () => (await h.db.repos.paymentEvents.listUnprocessed(new Date(Date.now() + 1_000))).length === 0,
      10_000,
      'every event processed',
    );

    // Give stragglers time to (wrongly) send again, then count.
    await new Promise((r) => setTimeout(r, 300));
    const messages = await h.messagesTo(user);
    expect(messages).toHaveLength(2);
    expect(messages.filter((m) => m.includes('Оплата 199\u00a0₽ получена'))).toHaveLength(1);
    expect(messages.filter((m) => m.includes('Ваш VPN готов'))).toHaveLength(1);
  });
});
