import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../errors.js';
import { makePayment, makeUser, useTestDatabase } from '../testing/index.js';

describe('payments repository', () => {
  const db = useTestDatabase();

  it('creates once per idempotency key, even when ten checkouts race', async () => {
    const user = await makeUser(db().repos);
    const input = {
      userId: user.id,
      provider: 'yookassa' as const,
      idempotencyKey: 'chk-1',
      amountMinor: 54_900,
      currency: 'RUB',
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => db().repos.payments.create(input)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.payment.id)).size).toBe(1);
    const payment = results[0]!.payment;
    expect(payment).toMatchObject({
      status: 'pending',
      kind: 'purchase',
      amountMinor: 54_900,
      discountMinor: 0,
      metadata: {},
    });
    expect(payment.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await db().repos.payments.findByIdempotencyKey('chk-1')).toMatchObject({
      id: payment.id,
    });
  });

  it('moves only forward: pending → succeeded → refunded; never back', async () => {
    const p = await makePayment(db().repos, { metadata: { plan: 'm1' } });
    const paid = await db().repos.payments.transition(p.id, 'succeeded', {
      savedPaymentMethodId: 'pm_1',
      metadata: { card: '4444' },
    });
    expect(paid.changed).toBe(true);
    expect(paid.payment).toMatchObject({
      status: 'succeeded',
      savedPaymentMethodId: 'pm_1',
      metadata: { plan: 'm1', card: '4444' },
    });
    expect(paid.payment.paidAt).toBeInstanceOf(Date);

    const again = await db().repos.payments.transition(p.id, 'succeeded');
    expect(again).toMatchObject({ changed: false, payment: { status: 'succeeded' } });

    for (const to of ['pending', 'failed', 'cancelled'] as const) {
      const error = await db()
        .repos.payments.transition(p.id, to)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', from: 'succeeded', to });
    }
    const refunded = await db().repos.payments.transition(p.id, 'refunded');
    expect(refunded.payment.refundedAt).toBeInstanceOf(Date);
    await expect(db().repos.payments.transition(p.id, 'succeeded')).rejects.toThrow(IllegalTransitionError);
    expect((await db().repos.payments.get(p.id))?.status).toBe('refunded');
  });

  it('records a failure reason and refuses to revive a failed payment', async () => {
    const p = await makePayment(db().repos);
    expect(
      (
        await db().repos.payments.transition(p.id, 'failed', {
          failureReason: 'insufficient_funds',
        })
      ).payment.failureReason,
    ).toBe('insufficient_funds');
    await expect(db().repos.payments.transition(p.id, 'succeeded')).rejects.toThrow(/failed → succeeded/);
    // Only settlement's explicit late success revives it, clearing the old reason.
    const late = await db().repos.payments.transition(p.id, 'succeeded', { failureReason: null }, { lateSuccess: true });
    expect(late).toMatchObject({ changed: true, payment: { status: 'succeeded', failureReason: null } });
    await expect(db().repos.payments.transition(p.id, 'failed', {}, { lateSuccess: true })).rejects.toThrow(/succeeded → failed/);
  });

  it('settles exactly once when ten notifications arrive at once', async () => {
    const p = await makePayment(db().repos);
    const results = await Promise.all(Array.from({ length: 10 }, () => db().repos.payments.transition(p.id, 'succeeded')));
    expect(results.filter((r) => r.changed)).toHaveLength(1);
  });

  it('rolls the whole settlement back when anything in its transaction fails', async () => {
    const p = await makePayment(db().repos);
    await expect(
      db().transaction(async (transaction) => {
        const locked = await db().repos.payments.lockForUpdate(p.id, { transaction });
        expect(locked?.status).toBe('pending');
        await db().repos.payments.transition(p.id, 'succeeded', {}, { transaction });
        await db().repos.outbox.add({ kind: 'provision', payload: { paymentId: p.id }, dedupeKey: `provision:${p.id}` }, { transaction });
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect((await db().repos.payments.get(p.id))?.status).toBe('pending');
    expect(await db().repos.outbox.countByStatus()).toEqual({});
  });

  it('finds by the provider id, which is unique per provider', async () => {
    const a = await makePayment(db().repos);
    const b = await makePayment(db().repos, { provider: 'cryptopay' });
    await db().repos.payments.attachExternal(a.id, {
      externalId: 'ext-1',
      confirmationUrl: 'https://pay.example/1',
    });
    await db().repos.payments.attachExternal(b.id, { externalId: 'ext-1' });
    expect(await db().repos.payments.findByExternal('yookassa', 'ext-1')).toMatchObject({
      id: a.id,
      confirmationUrl: 'https://pay.example/1',
    });
    expect(await db().repos.payments.findByExternal('cryptopay', 'ext-1')).toMatchObject({
      id: b.id,
    });
    const c = await makePayment(db().repos);
    await expect(db().repos.payments.attachExternal(c.id, { externalId: 'ext-1' })).rejects.toThrow();
  });

  it('lists pending payments for the poller and a user history, and sums revenue', async () => {
    const user = await makeUser(db().repos);
    const old = await makePayment(db().repos, { userId: user.id });
    const fresh = await makePayment(db().repos, { userId: user.id, amountMinor: 100 });
    await db().sequelize.query("UPDATE payments SET created_at = now() - interval '1 hour' WHERE id = $1", { bind: [old.id] });
    const pending = await db().repos.payments.listPendingOlderThan(new Date(Date.now() - 10 * 60_000));
    expect(pending.map((p) => p.id)).toEqual([old.id]);
    expect((await db().repos.payments.listByUser(user.id)).map((p) => p.id)).toEqual([fresh.id, old.id]);
    await db().repos.payments.transition(old.id, 'succeeded');
    await db().repos.payments.transition(fresh.id, 'succeeded');
    expect(await db().repos.payments.revenueSince(new Date(Date.now() - 60_000))).toEqual({
      RUB: 19_900 + 100,
    });
  });
});
