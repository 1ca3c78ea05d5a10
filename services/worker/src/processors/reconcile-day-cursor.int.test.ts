import { describe, expect, it } from 'vitest';
import type { Job } from 'bull';
import { silentLogger } from '@vpn/logger';
import { useWorkerHarness } from '../testing/worker-harness.js';
import { createReconcilePaymentsProcessor } from './reconcile-payments.processor.js';

// Issue 21 (left from item 5): a run reads at most 20 000 of a day's closed payments; the rest of
// a bigger day is read by the next runs, from where the last one stopped, until the day is done.
const h = useWorkerHarness({ replicas: 0 });
const ctx = { log: silentLogger(), job: {} as Job };
const DAY = '2026-03-14';

describe('daily reconciliation of a day bigger than one run', () => {
  it('goes on from where the last run stopped until the whole day is compared', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    // 20 000 closed payments early in the day (nothing to ask a provider: no provider id)...
    await h.db.sequelize.query(
      `INSERT INTO payments (user_id, provider, idempotency_key, amount_minor, currency, status, failure_reason, created_at)
       SELECT $1, 'cryptopay', 'closed-' || g, 19900, 'RUB', 'cancelled', 'cancelled_by_customer', $2::timestamptz + g * interval '1 ms'
         FROM generate_series(1, 20000) g`,
      { bind: [user.id, `${DAY}T00:00:00Z`] },
    );
    // ...and, late in the day, one we cancelled that the customer paid anyway.
    const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
    await h.billing.ledger.cancelPayment(paymentId, 'cancelled_by_customer');
    h.cryptoPay.pay(invoiceId);
    await h.db.sequelize.query(`UPDATE payments SET created_at = $2 WHERE id = $1`, { bind: [paymentId, `${DAY}T23:00:00Z`] });

    const reconcile = createReconcilePaymentsProcessor(h.deps);
    const lateSuccesses = async () =>
      (await h.db.repos.paymentEvents.listByPayment(paymentId)).filter((e) => e.providerEventId.endsWith(':succeeded'));
    await reconcile({ day: DAY }, ctx);
    expect(await lateSuccesses()).toHaveLength(0); // the run's 20 000 were spent before it
    // The scheduler's next run names other days; the unfinished one is carried on.
    await reconcile({ day: '2026-03-15' }, ctx);
    expect((await lateSuccesses()).map((e) => e.providerEventId)).toEqual([`poll:cryptopay:${invoiceId}:succeeded`]);
    const audits = (await h.db.repos.auditLog.list({ entity: 'reconciliation', entityId: DAY })).map((a) => a.data);
    expect(audits.map((a) => [a.lateSuccess, a.complete])).toEqual([
      [1, true],
      [0, false],
    ]);
    // Done: a third run does not read the day again.
    await reconcile({ day: '2026-03-16' }, ctx);
    expect(await h.db.repos.auditLog.list({ entity: 'reconciliation', entityId: DAY })).toHaveLength(2);
  });
});
