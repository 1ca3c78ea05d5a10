import { partialRefundsOf } from '@vpn/billing';
import { makePayment } from '@vpn/db/testing';
import { describe, expect, it } from 'vitest';
import { newRequestId, refusal, useBackofficeHarness } from '../testing/index.js';

const DAY = 86_400_000;

describe('refunds through the provider, the ledger and access following', () => {
  const h = useBackofficeHarness();

  it('a full refund is made at YooKassa, the payment is refunded, its days come off and the customer is told', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30 });
    await h.backoffice.customers.extend(await h.actor('admin'), { userId: user.id, days: 10 });
    const payment = await h.purchase(user, plan);
    const before = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    await h.drainOutbox();

    const requestId = newRequestId();
    const result = await h.backoffice.payments.refund(finance, { paymentId: payment.id, requestId, reason: 'customer asked' });
    expect(result).toMatchObject({ outcome: 'refunded', amountMinor: payment.amountMinor, payment: { status: 'refunded' } });
    expect(
      h.yookassa
        .refunds()
        .filter((r) => r.payment_id === payment.externalId)
        .map((r) => r.amount.value),
    ).toEqual(['199.00']);
    const after = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(before!.endsAt!.getTime() - after!.endsAt!.getTime()).toBe(30 * DAY);
    const notices = (await h.drainOutbox()).filter((r) => r.kind === 'notify').map((r) => r.payload);
    expect(notices).toEqual([expect.objectContaining({ kind: 'payment_refunded', reference: payment.id })]);
    const [entry] = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(entry).toMatchObject({
      actorId: finance.adminId,
      action: 'payment.refund',
      data: {
        paymentId: payment.id,
        provider: 'yookassa',
        amountMinor: payment.amountMinor,
        reason: 'customer asked',
        before: { status: 'succeeded' },
        after: { status: 'refunded' },
      },
    });
    // Pressed again: nothing more happens at the provider or in the ledger.
    expect(await refusal(h.backoffice.payments.refund(finance, { paymentId: payment.id, requestId }))).toBe('NOT_ALLOWED:paymentId');
    expect(h.yookassa.refunds().filter((r) => r.payment_id === payment.externalId)).toHaveLength(1);
  });

  it('takes any request id the validator allows (up to 64 characters) within the provider key limit', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const payment = await h.purchase(user, await h.plan({ durationDays: 30 }));
    // A dashboard sends a UUID; YooKassa refuses Idempotence-Key values longer than 64 characters.
    const requestId = 'r'.repeat(64);
    const result = await h.backoffice.payments.refund(finance, { paymentId: payment.id, requestId });
    expect(result.outcome).toBe('refunded');
    expect(h.yookassa.refunds().filter((r) => r.payment_id === payment.externalId)).toHaveLength(1);
  });

  it('two presses of the same confirmation at once make one refund and one audit entry', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const payment = await h.purchase(user, await h.plan({ durationDays: 30 }));
    const requestId = newRequestId();
    await Promise.allSettled([0, 1].map(() => h.backoffice.payments.refund(finance, { paymentId: payment.id, requestId })));
    expect(h.yookassa.refunds().filter((r) => r.payment_id === payment.externalId)).toHaveLength(1);
    const entries = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(entries.filter((e) => e.action === 'payment.refund')).toHaveLength(1);
  });

  it('partial refunds keep the payment paid, take days back in proportion, and the last part refunds it', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30, priceMinor: 30_000 });
    const payment = await h.purchase(user, plan);
    const start = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt!.getTime();

    const part = await h.backoffice.payments.refund(finance, { paymentId: payment.id, amountMinor: 10_000, requestId: newRequestId() });
    expect(part).toMatchObject({ outcome: 'partly_refunded', payment: { status: 'succeeded' } });
    expect(partialRefundsOf(part.payment)).toMatchObject({ amountMinor: 10_000, days: 10 });
    expect(start - (await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt!.getTime()).toBe(10 * DAY);
    // More than is left is refused before the provider is asked.
    expect(
      await refusal(h.backoffice.payments.refund(finance, { paymentId: payment.id, amountMinor: 20_001, requestId: newRequestId() })),
    ).toBe('INVALID_INPUT:amountMinor');
    const rest = await h.backoffice.payments.refund(finance, { paymentId: payment.id, requestId: newRequestId() });
    expect(rest).toMatchObject({ outcome: 'refunded', amountMinor: 20_000, payment: { status: 'refunded' } });
    expect(partialRefundsOf(rest.payment)).toMatchObject({ amountMinor: 30_000, days: 30 });
    const sub = await h.db.repos.subscriptions.getLatestForUser(user.id);
    expect(sub).toMatchObject({ status: 'cancelled' });
    expect(
      h.yookassa
        .refunds()
        .filter((r) => r.payment_id === payment.externalId)
        .map((r) => r.amount.value),
    ).toEqual(['100.00', '200.00']);
  });

  it('Stars take only whole refunds and Crypto Pay none: refused before anything, or recorded as a manual refund', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const stars = await makePayment(h.db.repos, { userId: user.id, provider: 'stars', amountMinor: 100, currency: 'XTR' });
    await h.db.repos.payments.transition(stars.id, 'succeeded');
    expect(await refusal(h.backoffice.payments.refund(finance, { paymentId: stars.id, amountMinor: 50, requestId: newRequestId() }))).toBe(
      'PROVIDER_CANNOT:amountMinor',
    );
    const crypto = await makePayment(h.db.repos, { userId: user.id, provider: 'cryptopay', amountMinor: 500, currency: 'USD' });
    await h.db.repos.payments.transition(crypto.id, 'succeeded');
    expect(await refusal(h.backoffice.payments.refund(finance, { paymentId: crypto.id, requestId: newRequestId() }))).toBe(
      'PROVIDER_CANNOT:provider',
    );
    const manual = await h.backoffice.payments.refund(finance, {
      paymentId: crypto.id,
      requestId: newRequestId(),
      manual: true,
      reason: 'sent back in USDT',
    });
    expect(manual).toMatchObject({ outcome: 'refunded', payment: { status: 'refunded' } });
    const [entry] = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(entry).toMatchObject({ action: 'payment.refund', data: { manual: true, paymentId: crypto.id, reason: 'sent back in USDT' } });
    // A provider with a refund API is never "refunded by hand".
    const paid = await h.purchase(user, await h.plan());
    expect(await refusal(h.backoffice.payments.refund(finance, { paymentId: paid.id, requestId: newRequestId(), manual: true }))).toBe(
      'NOT_ALLOWED:manual',
    );
  });

  it('a provider that fails leaves the ledger and access as they were', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const payment = await h.purchase(user, await h.plan());
    const before = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    h.yookassa.failNextRequests(10, 500);
    expect(await refusal(h.backoffice.payments.refund(finance, { paymentId: payment.id, requestId: newRequestId() }))).toBe(
      'PROVIDER_FAILED:provider',
    );
    expect((await h.db.repos.payments.get(payment.id))!.status).toBe('succeeded');
    expect((await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt).toEqual(before!.endsAt);
    expect(await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) })).toEqual([]);
  });

  it('refuses what is not a paid payment', async () => {
    const finance = await h.actor('finance');
    const pending = await makePayment(h.db.repos);
    expect(await refusal(h.backoffice.payments.refund(finance, { paymentId: pending.id, requestId: newRequestId() }))).toBe(
      'NOT_ALLOWED:paymentId',
    );
    expect(await refusal(h.backoffice.payments.refund(finance, { paymentId: 'not-a-uuid', requestId: newRequestId() }))).toBe(
      'INVALID_INPUT:paymentId',
    );
    expect(
      await refusal(
        h.backoffice.payments.refund(finance, { paymentId: '00000000-0000-4000-8000-000000000000', requestId: newRequestId() }),
      ),
    ).toBe('NOT_FOUND:paymentId');
  });
});

describe('partial refunds through WATA, which has no idempotency key (issue 11 item 13)', () => {
  const h = useBackofficeHarness();

  it('two refunds of the same amount are two; a retry of one is still one', async () => {
    const finance = await h.actor('finance');
    const user = await h.customer();
    const payment = await h.purchase(user, await h.plan({ durationDays: 30, priceMinor: 30_000 }), 'wata');
    const refunds = () => h.wata.transactions(payment.id).filter((t) => t.kind === 'Refund');

    const first = newRequestId();
    await h.backoffice.payments.refund(finance, { paymentId: payment.id, amountMinor: 10_000, requestId: first });
    const second = await h.backoffice.payments.refund(finance, { paymentId: payment.id, amountMinor: 10_000, requestId: newRequestId() });
    expect(refunds().map((t) => t.amount)).toEqual([100, 100]);
    expect(second).toMatchObject({ outcome: 'partly_refunded' });
    expect(partialRefundsOf(second.payment)).toMatchObject({ amountMinor: 20_000, days: 20 });

    // The first confirmation pressed again: WATA's refund for it is found, nothing new is made.
    await h.backoffice.payments.refund(finance, { paymentId: payment.id, amountMinor: 10_000, requestId: first });
    expect(refunds()).toHaveLength(2);
    expect(partialRefundsOf((await h.db.repos.payments.get(payment.id))!)).toMatchObject({ amountMinor: 20_000 });
  });
});
