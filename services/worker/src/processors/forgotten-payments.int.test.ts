import { describe, expect, it } from 'vitest';
import type { Job } from 'bull';
import { silentLogger } from '@vpn/logger';
import { useWorkerHarness } from '../testing/worker-harness.js';
import { createPaymentPollProcessor } from './payment-poll.processor.js';
import { createReconcilePaymentsProcessor } from './reconcile-payments.processor.js';

// Issue 11 item 12: WATA deletes a payment link some time after it expires. A payment past its
// provider's expiry that the provider no longer knows is closed as expired, once, with a reason.
const h = useWorkerHarness();
const ctx = { log: silentLogger(), job: {} as Job };

async function forgottenWata(createdMinutesAgo: number) {
  const user = await h.customer();
  const plan = await h.plan();
  const { paymentId } = await h.checkout(user, plan, 'wata');
  h.wata.forgetLink(paymentId);
  await h.db.sequelize.query(`UPDATE payments SET created_at = now() - $2 * interval '1 minute' WHERE id = $1`, {
    bind: [paymentId, createdMinutesAgo],
  });
  return paymentId;
}

describe('payments the provider has forgotten', () => {
  it('a WATA payment past its link lifetime that WATA no longer knows is closed as expired, once', async () => {
    const paymentId = await forgottenWata(2 * 24 * 60);
    const poll = createPaymentPollProcessor({ ...h.deps, pollAfterMinutes: 10 });
    await poll({ scope: 'payment', paymentId }, ctx);
    await h.until(async () => (await h.db.repos.payments.get(paymentId))?.status === 'cancelled', 10_000, 'closed as expired');
    expect((await h.db.repos.payments.get(paymentId))?.failureReason).toBe('expired');

    // Polled again, reconciled: nothing more to say about it.
    await poll({ scope: 'payment', paymentId }, ctx);
    await createReconcilePaymentsProcessor(h.deps)({ day: '2020-01-01' }, ctx);
    await new Promise((r) => setTimeout(r, 300));
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events.map((e) => e.providerEventId)).toEqual([`poll:wata:${paymentId}:cancelled`]);
  });

  it('one still within its link lifetime is not closed on a not-found', async () => {
    const paymentId = await forgottenWata(5);
    const poll = createPaymentPollProcessor({ ...h.deps, pollAfterMinutes: 10 });
    await expect(poll({ scope: 'payment', paymentId }, ctx)).rejects.toThrow(/no links or transactions/);
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('pending');
  });
});
