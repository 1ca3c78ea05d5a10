import { describe, expect, it } from 'vitest';
import { storePaidInvoice, useWorkerHarness } from '../testing/worker-harness.js';

// No server can take a new account: the customer is told honestly (once), operators are alerted
// (once), and the link still arrives when capacity is back.
const h = useWorkerHarness();

describe('provisioning while no server can take the account', () => {
  it('tells the customer it takes longer, alerts operators once, and delivers the link when a server is back', async () => {
    const [server] = await h.db.repos.servers.list();
    await h.db.repos.servers.update(server!.id, { active: false });
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
    h.cryptoPay.pay(invoiceId);
    await storePaidInvoice(h, paymentId, invoiceId);

    const delayed = (m: string) => m.includes('готовится дольше обычного');
    await h.until(async () => (await h.messagesTo(user)).some(delayed), 15_000, 'the delay notice');
    const provisioning = h.queues.queue(h.producers.provisioning.contract);
    await h.until(async () => ((await provisioning.getJobs(['delayed']))[0]?.attemptsMade ?? 0) >= 3, 20_000, 'three failed attempts');
    expect((await h.messagesTo(user)).filter(delayed)).toHaveLength(1);
    const alerts = (await h.db.repos.auditLog.list({ actorKind: 'system' })).filter((a) => a.action === 'alert.no_server');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.data).toMatchObject({ reason: 'purchase' });

    await h.db.repos.servers.update(server!.id, { active: true });
    await h.until(async () => (await h.messagesTo(user)).some((m) => m.includes('Ваш VPN готов')), 30_000, 'the link');
    expect((await h.messagesTo(user)).filter(delayed)).toHaveLength(1);
  });
});
