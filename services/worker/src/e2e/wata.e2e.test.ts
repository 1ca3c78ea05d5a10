import { describe, expect, it } from 'vitest';
import { useE2eHarness } from '../testing/e2e-harness.js';
import { expectSettledOnce } from '../testing/settled-once.js';

const h = useE2eHarness();

describe('WATA through the webhooks service and the worker, as processes', () => {
  it('declined, then paid on the same link: failed and told, then settled once as a late success; duplicates change nothing', async () => {
    await h.startWorker();
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, url } = await h.wataCheckout(user, plan);
    expect(url).toMatch(/\/pay\//);
    const before = Date.now();

    // The bank declines the first attempt: WATA's signed webhook fails the payment, the customer is told.
    h.wata.decline(paymentId);
    await h.until(async () => (await h.db.repos.payments.get(paymentId))?.status === 'failed', 20_000, 'the decline settled');
    await h.until(async () => (await h.messagesTo(user)).some((m) => m.startsWith('❌ Платёж не прошёл')), 20_000, 'the failure notice');
    expect(h.wata.link(paymentId)?.status).toBe('Opened');

    // The second attempt on the same link is paid: honoured, once.
    h.wata.pay(paymentId);
    await expectSettledOnce(h, user, paymentId, before);
    const paid = h.wata.notifications.at(-1)!;
    await h.wata.redeliver(paid.id, 3);
    await h.wata.idle();
    expect(h.wata.attempts.filter((a) => a.notificationId === paid.id).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    await new Promise((r) => setTimeout(r, 1_500));
    await expectSettledOnce(h, user, paymentId, before);

    expect((await h.db.repos.payments.get(paymentId))?.metadata.lateSuccess).toMatchObject({
      from: 'failed',
      failureReason: 'InsufficientFunds',
    });
    const [rows] = await h.db.sequelize.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'payment.late_success' AND entity_id = $1",
      { bind: [paymentId] },
    );
    expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);
    expect((await h.db.repos.paymentEvents.listByPayment(paymentId)).map((e) => e.kind).sort()).toEqual([
      'payment.failed',
      'payment.succeeded',
    ]);
    expect((await h.messagesTo(user)).filter((m) => m.startsWith('❌ Платёж не прошёл'))).toHaveLength(1);
  });
});
