import { describe, expect, it } from 'vitest';
import type { Job } from 'bull';
import { silentLogger } from '@vpn/logger';
import { paymentPollQueue, settlementQueue } from '@vpn/queues';
import { storePaidInvoice, useWorkerHarness } from '../testing/worker-harness.js';
import { createPaymentPollProcessor } from './payment-poll.processor.js';
import { createReconcilePaymentsProcessor } from './reconcile-payments.processor.js';
import { recoverSettlements } from './recover-settlements.js';

// Issue 11 item 9: each recovery sweep, filled with more than its batch of dead items ahead of a
// live one, still handles the live one within a few runs, and the dead leave its candidates.
const h = useWorkerHarness({ replicas: 0 });
const log = silentLogger();
const ctx = { log, job: {} as Job };

/** `n` pending payments older than a day that no provider can be asked about (no provider id: the checkout never got one). */
async function unpollable(userId: number, n: number): Promise<void> {
  await h.db.sequelize.query(
    `INSERT INTO payments (user_id, provider, idempotency_key, amount_minor, currency, created_at)
     SELECT $1, 'cryptopay', 'dead-' || gen_random_uuid(), 19900, 'RUB', now() - interval '2 days' + g * interval '1 ms'
       FROM generate_series(1, $2::int) g`,
    { bind: [userId, n] },
  );
}

/** A paid Crypto Pay invoice whose notification we never got, its payment created `minutesAgo`. */
async function paidUnnoticed(minutesAgo: number) {
  const user = await h.customer();
  const plan = await h.plan();
  const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
  h.cryptoPay.pay(invoiceId);
  await h.db.sequelize.query(`UPDATE payments SET created_at = now() - $2 * interval '1 minute' WHERE id = $1`, {
    bind: [paymentId, minutesAgo],
  });
  return { user, paymentId, invoiceId };
}

describe('recovery sweeps do not starve on dead items', () => {
  it('settlement recovery: 250 events refused for good ahead of a lost one', async () => {
    await h.db.sequelize.query(
      `INSERT INTO payment_events (provider, provider_event_id, kind, raw_payload, error, received_at)
       SELECT 'cryptopay', 'refused-' || g, 'payment.succeeded', '{}', 'PAYMENT_NOT_FOUND: no such payment', now() - interval '1 hour' + g * interval '1 ms'
         FROM generate_series(1, 250) g`,
    );
    const { paymentId, invoiceId } = await paidUnnoticed(5);
    const eventId = await storePaidInvoice(h, paymentId, invoiceId);
    const queue = h.queues.queue(settlementQueue);
    await (await queue.getJob(`settle:${eventId}`))!.remove(); // lost with Redis
    await h.db.sequelize.query("UPDATE payment_events SET received_at = now() - interval '5 minutes' WHERE id = $1", { bind: [eventId] });

    let recovered = 0;
    for (let run = 0; run < 3; run++) recovered += await recoverSettlements(h.deps, log);
    expect(recovered).toBe(1);
    expect(await queue.getJob(`settle:${eventId}`)).not.toBeNull();
  });

  it('payment poll: 600 payments that can never be polled ahead of a live one; they are closed once, with a reason', async () => {
    const { user, paymentId } = await paidUnnoticed(15);
    await unpollable(user.id, 600);
    const poll = createPaymentPollProcessor({ ...h.deps, pollAfterMinutes: 10 });
    const queue = h.queues.queue(paymentPollQueue);

    for (let run = 0; run < 3; run++) await poll({ scope: 'sweep' }, ctx);
    expect(await queue.getJob(`poll:${paymentId}`)).not.toBeNull();
    const [rows] = await h.db.sequelize.query(
      "SELECT status, failure_reason AS reason, count(*)::int AS n FROM payments WHERE idempotency_key LIKE 'dead-%' GROUP BY 1, 2",
    );
    expect(rows).toEqual([{ status: 'cancelled', reason: 'unpollable: no provider payment id', n: 600 }]);
    // 600 closings, one transaction each: 6–20 s on this machine, more under a loaded full run.
  }, 120_000);

  it('daily reconciliation: 5 001 pending payments it cannot read ahead of a live one', async () => {
    const { user, paymentId, invoiceId } = await paidUnnoticed(60);
    await unpollable(user.id, 5_001);
    const reconcile = createReconcilePaymentsProcessor(h.deps);

    // A day with nothing closed: only the pending walk matters here.
    for (let run = 0; run < 2; run++) await reconcile({ day: '2020-01-01' }, ctx);
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events.map((e) => e.providerEventId)).toEqual([`poll:cryptopay:${invoiceId}:succeeded`]);
  });
});
