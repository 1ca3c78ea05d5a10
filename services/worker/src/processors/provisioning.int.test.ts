import { describe, expect, it } from 'vitest';
import { storePaidInvoice, useWorkerHarness } from '../testing/worker-harness.js';

// A panel that is down: the customer is provisioned once it is back, and told once.
const h = useWorkerHarness();

describe('provisioning while the panel is down', () => {
  it('retries with backoff until the panel answers, then sends the link exactly once', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
    h.cryptoPay.pay(invoiceId);
    h.panel.faults.setUnavailable(true);
    await storePaidInvoice(h, paymentId, invoiceId);

    // Paid and extended at once; the panel call keeps failing meanwhile.
    await h.until(async () => (await h.db.repos.payments.get(paymentId))?.status === 'succeeded', 10_000, 'settlement');
    const provisioning = h.queues.queue(h.producers.provisioning.contract);
    await h.until(async () => ((await provisioning.getJobs(['delayed']))[0]?.attemptsMade ?? 0) >= 3, 15_000, 'three failed attempts');
    expect(h.panel.userCount()).toBe(0);
    expect((await h.messagesTo(user)).filter((m) => m.includes('Ваш VPN готов'))).toHaveLength(0);

    h.panel.faults.setUnavailable(false);
    await h.until(async () => (await h.messagesTo(user)).some((m) => m.includes('Ваш VPN готов')), 20_000, 'the link');
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(h.panel.userKeys()).toEqual([`vpn_s${sub?.id}`]);
    const [account] = await h.db.repos.vpnAccounts.findBySubscription(sub!.id);
    expect(account?.syncState).toBe('synced');

    // Provisioning the same subscription again (a duplicate job, a later change) tells no one twice.
    await h.producers.provisioning.add({ subscriptionId: sub!.id, version: 'again', reason: 'purchase' });
    await h.until(
      async () => (await provisioning.getJobCounts()).active + (await provisioning.getJobCounts()).waiting === 0,
      10_000,
      'idle queue',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.messagesTo(user)).filter((m) => m.includes('Ваш VPN готов'))).toHaveLength(1);
    expect(h.panel.userCount()).toBe(1);
  });
});
