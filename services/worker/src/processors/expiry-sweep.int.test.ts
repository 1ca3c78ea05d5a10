import { describe, expect, it } from 'vitest';
import { storePaidInvoice, useWorkerHarness } from '../testing/worker-harness.js';

// One behaviour: when a subscription ends, the sweep marks it expired and the customer's panel
// account is disabled, once, however many sweeps run at once.
const h = useWorkerHarness({ replicas: 2 });

describe('expiry sweep', () => {
  it('expires an ended subscription and disables its account in the panel; more sweeps change nothing', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
    h.cryptoPay.pay(invoiceId);
    await storePaidInvoice(h, paymentId, invoiceId);
    await h.until(async () => (await h.messagesTo(user)).some((m) => m.includes('Ваш VPN готов')), 15_000, 'provisioned');
    const sub = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!;
    const key = `vpn_s${sub.id}`;
    expect(h.panel.user(key)?.status).toBe('active');

    // The end passes.
    await h.db.repos.subscriptions.update(sub.id, {
      startsAt: new Date(Date.now() - 31 * 86_400_000),
      endsAt: new Date(Date.now() - 60_000),
    });
    await Promise.all([h.producers.expirySweep.add({}), h.producers.expirySweep.add({}), h.producers.expirySweep.add({})]);
    await h.until(async () => h.panel.user(key)?.status === 'disabled', 15_000, 'the account disabled');
    expect((await h.db.repos.subscriptions.get(sub.id))?.status).toBe('expired');
    const version = (await h.db.repos.subscriptions.get(sub.id))!.version;

    await Promise.all([h.producers.expirySweep.add({}), h.producers.expirySweep.add({})]);
    await new Promise((r) => setTimeout(r, 800));
    const [rows] = await h.db.sequelize.query(
      "SELECT count(*)::int AS n FROM subscription_events WHERE subscription_id = $1 AND kind = 'expire'",
      { bind: [sub.id] },
    );
    expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);
    expect((await h.db.repos.subscriptions.get(sub.id))?.version).toBe(version);
    expect(h.panel.user(key)?.status).toBe('disabled');
    expect(h.panel.userKeys()).toEqual([key]);
  });
});
