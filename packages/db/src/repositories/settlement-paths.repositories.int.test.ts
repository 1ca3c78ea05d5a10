import { describe, expect, it } from 'vitest';
import type { Transaction } from 'sequelize';
import { IllegalTransitionError } from '../errors.js';
import { makePayment, makeSubscription, makeUser, useTestDatabase } from '../testing/index.js';

const DAY = 86_400_000;
const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

/** The repository calls settlement is built from: one lock per row, few round trips. */
describe('settlement paths: locks, locked transitions, batched outbox', () => {
  const db = useTestDatabase();

  /**
   * Runs `first` (which takes its locks, then waits) and `second` in two transactions; returns
   * what they logged while `first` still held its locks, and after both committed.
   */
  async function whileLocked(
    first: (transaction: Transaction, log: string[]) => Promise<void>,
    then: (transaction: Transaction, log: string[]) => Promise<void>,
    second: (transaction: Transaction, log: string[]) => Promise<void>,
  ): Promise<{ whileHeld: string[]; after: string[] }> {
    const log: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const a = db().transaction(async (tx) => {
      await first(tx, log);
      await held;
      await then(tx, log);
    });
    await tick();
    const b = db().transaction((tx) => second(tx, log));
    await tick();
    const whileHeld = [...log];
    release();
    await Promise.all([a, b]);
    return { whileHeld, after: log };
  }

  it('users.lockForUpdate returns the row and holds it until the transaction ends', async () => {
    const user = await makeUser(db().repos);
    const seen = await whileLocked(
      async (transaction) => {
        expect(await db().repos.users.lockForUpdate(user.id, { transaction })).toMatchObject({ id: user.id, telegramId: user.telegramId });
      },
      async (transaction, log) => {
        await db().repos.users.setLanguage(user.id, 'en', { transaction });
        log.push('first commits');
      },
      async (transaction, log) => {
        const row = await db().repos.users.lockForUpdate(user.id, { transaction });
        log.push(`second sees ${row?.languageCode}`);
      },
    );
    expect(seen).toEqual({ whileHeld: [], after: ['first commits', 'second sees en'] });
    expect(await db().transaction((transaction) => db().repos.users.lockForUpdate(999_999, { transaction }))).toBeNull();
  });

  it('subscriptions.lockCurrentForUser: the live one, else the latest, else null', async () => {
    const user = await makeUser(db().repos);
    const lock = (userId: number) =>
      db().transaction((transaction) => db().repos.subscriptions.lockCurrentForUser(userId, { transaction }));
    expect(await lock(user.id)).toBeNull();
    const now = Date.now();
    const old = await makeSubscription(db().repos, {
      userId: user.id,
      status: 'expired',
      startsAt: new Date(now - 60 * DAY),
      endsAt: new Date(now - 30 * DAY),
    });
    expect((await lock(user.id))?.id).toBe(old.id);
    const live = await makeSubscription(db().repos, { userId: user.id });
    const newer = await makeSubscription(db().repos, {
      userId: user.id,
      status: 'cancelled',
      startsAt: new Date(now - 2 * DAY),
      endsAt: new Date(now - DAY),
    });
    expect(newer.id).toBeGreaterThan(live.id);
    expect(await lock(user.id)).toMatchObject({ id: live.id, status: 'active', userId: user.id });
  });

  it('payments.lockWithCustomer locks the payment and its customer in one statement, by either id', async () => {
    const user = await makeUser(db().repos, { languageCode: 'en' });
    const p = await makePayment(db().repos, { userId: user.id, metadata: { terms: { planDays: 30 } } });
    await db().repos.payments.attachExternal(p.id, { externalId: 'yk-77' });
    const byId = await db().transaction((transaction) => db().repos.payments.lockWithCustomer({ id: p.id }, { transaction }));
    expect(byId?.payment).toEqual(await db().repos.payments.get(p.id));
    expect(byId?.customer).toEqual(await db().repos.users.findById(user.id));
    const byExternal = await db().transaction((transaction) =>
      db().repos.payments.lockWithCustomer({ provider: 'yookassa', externalId: 'yk-77' }, { transaction }),
    );
    expect(byExternal?.payment.id).toBe(p.id);
    expect(
      await db().transaction((transaction) =>
        db().repos.payments.lockWithCustomer({ provider: 'wata', externalId: 'yk-77' }, { transaction }),
      ),
    ).toBeNull();

    // Both rows stay locked: a customer lock elsewhere waits for the commit.
    const seen = await whileLocked(
      async (transaction) => void (await db().repos.payments.lockWithCustomer({ id: p.id }, { transaction })),
      async (_transaction, log) => void log.push('settled'),
      async (transaction, log) => {
        await db().repos.users.lockForUpdate(user.id, { transaction });
        log.push('customer locked');
      },
    );
    expect(seen).toEqual({ whileHeld: [], after: ['settled', 'customer locked'] });
  });

  it('payments.transition({ locked }) moves a row the caller holds with one UPDATE, same rules', async () => {
    const p = await makePayment(db().repos, { metadata: { terms: { planDays: 30 } } });
    const paid = await db().transaction(async (transaction) => {
      await db().repos.payments.lockForUpdate(p.id, { transaction });
      return db().repos.payments.transition(
        p.id,
        'succeeded',
        { externalId: 'ext-1', savedPaymentMethodId: 'pm-1', metadata: { settlement: { days: 30 } } },
        { transaction, locked: true },
      );
    });
    expect(paid.changed).toBe(true);
    expect(paid.payment).toMatchObject({
      status: 'succeeded',
      externalId: 'ext-1',
      savedPaymentMethodId: 'pm-1',
      metadata: { terms: { planDays: 30 }, settlement: { days: 30 } },
    });
    expect(paid.payment.paidAt).toBeInstanceOf(Date);
    const again = await db().repos.payments.transition(p.id, 'succeeded', {}, { locked: true });
    expect(again).toMatchObject({ changed: false, payment: { status: 'succeeded' } });
    await expect(db().repos.payments.transition(p.id, 'failed', {}, { locked: true })).rejects.toThrow(IllegalTransitionError);
    await expect(
      db().repos.payments.transition('00000000-0000-4000-8000-000000000000', 'failed', {}, { locked: true }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const failed = await db().repos.payments.transition(
      (await makePayment(db().repos)).id,
      'failed',
      { failureReason: 'declined' },
      { locked: true },
    );
    expect(failed.payment).toMatchObject({ status: 'failed', failureReason: 'declined', paidAt: null });
  });

  it('ten locked transitions of the same pending payment at once: exactly one changes it', async () => {
    const p = await makePayment(db().repos);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => db().repos.payments.transition(p.id, 'succeeded', {}, { locked: true })),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(results.every((r) => r.payment.status === 'succeeded')).toBe(true);
  });

  it('payments.countPaidByUser counts succeeded and refunded payments, leaving one out', async () => {
    const user = await makeUser(db().repos);
    const a = await makePayment(db().repos, { userId: user.id });
    const b = await makePayment(db().repos, { userId: user.id });
    await makePayment(db().repos, { userId: user.id });
    expect(await db().repos.payments.countPaidByUser(user.id)).toBe(0);
    await db().repos.payments.transition(a.id, 'succeeded');
    await db().repos.payments.transition(b.id, 'succeeded');
    await db().repos.payments.transition(b.id, 'refunded');
    expect(await db().repos.payments.countPaidByUser(user.id)).toBe(2);
    expect(await db().repos.payments.countPaidByUser(user.id, { excludingPaymentId: a.id })).toBe(1);
  });

  it('outbox.addMany inserts in one statement, in order, skipping known and repeated keys', async () => {
    const outbox = db().repos.outbox;
    await outbox.add({ kind: 'notify', payload: { n: 0 }, dedupeKey: 'k0' });
    const later = new Date(Date.now() + 60_000);
    const inserted = await outbox.addMany([
      { kind: 'provision', payload: { n: 1 }, dedupeKey: 'k1' },
      { kind: 'notify', payload: { n: 0 }, dedupeKey: 'k0' },
      { kind: 'notify', payload: { n: 2, text: 'quote " and \\ backslash' }, dedupeKey: 'k2', availableAt: later },
      { kind: 'provision', payload: { n: 3 }, dedupeKey: 'k1' },
    ]);
    expect(inserted.map((m) => [m.kind, m.dedupeKey, m.payload])).toEqual([
      ['provision', 'k1', { n: 1 }],
      ['notify', 'k2', { n: 2, text: 'quote " and \\ backslash' }],
    ]);
    expect(inserted[1]!.availableAt.getTime()).toBe(later.getTime());
    expect(await outbox.addMany([])).toEqual([]);
    expect((await outbox.claim()).map((m) => m.dedupeKey)).toEqual(['k0', 'k1']);
  });
});
