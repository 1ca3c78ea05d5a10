import { describe, expect, it } from 'vitest';
import { makePayment, useTestDatabase } from '../testing/index.js';

describe('payment events repository', () => {
  const db = useTestDatabase();
  const event = {
    provider: 'yookassa' as const,
    providerEventId: 'evt-1',
    kind: 'payment.succeeded',
    rawPayload: { object: { id: 'x', amount: { value: '199.00' } } },
  };

  it('stores a notification delivered ten times at once exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => db().repos.paymentEvents.insertOnce(event)));
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event.id)).size).toBe(1);
    expect(results[0]!.event.rawPayload).toEqual(event.rawPayload);
    // Same id from another provider is a different event.
    expect((await db().repos.paymentEvents.insertOnce({ ...event, provider: 'wata' })).inserted).toBe(true);
  });

  it('stores many at once in input order: new ones, known ones, and copies within one call and across concurrent calls', async () => {
    const repo = () => db().repos.paymentEvents;
    const payment = await makePayment(db().repos);
    const known = (await repo().insertOnce({ ...event, providerEventId: 'known' })).event;
    const batch = [
      { ...event, providerEventId: 'b-1', paymentId: payment.id },
      { ...event, providerEventId: 'known' },
      { ...event, providerEventId: 'b-2', rawPayload: { n: 2 } },
      { ...event, providerEventId: 'b-1', paymentId: payment.id },
    ];
    const results = await repo().insertManyOnce(batch);
    expect(results.map((r) => [r.inserted, r.event.providerEventId])).toEqual([
      [true, 'b-1'],
      [false, 'known'],
      [true, 'b-2'],
      [false, 'b-1'],
    ]);
    expect(results[1]!.event).toEqual(known);
    expect(results[3]!.event.id).toBe(results[0]!.event.id);
    expect(results[0]!.event).toMatchObject({ paymentId: payment.id, kind: 'payment.succeeded', processedAt: null });
    expect(results[2]!.event.rawPayload).toEqual({ n: 2 });
    expect(await repo().get(results[0]!.event.id)).toEqual(results[0]!.event);
    // The same new events in five concurrent calls: each stored once, `inserted` once per event.
    const again = Array.from({ length: 3 }, (_, i) => ({ ...event, providerEventId: `c-${i}` }));
    const runs = await Promise.all(Array.from({ length: 5 }, () => repo().insertManyOnce(again)));
    for (let i = 0; i < again.length; i++) {
      expect(runs.filter((r) => r[i]!.inserted)).toHaveLength(1);
      expect(new Set(runs.map((r) => r[i]!.event.id)).size).toBe(1);
    }
    expect(await repo().insertManyOnce([])).toEqual([]);
  });

  it('refuses a whole batch naming a payment that does not exist (the caller stores one by one)', async () => {
    await expect(
      db().repos.paymentEvents.insertManyOnce([
        { ...event, providerEventId: 'fk-1' },
        { ...event, providerEventId: 'fk-2', paymentId: '00000000-0000-4000-8000-000000000000' },
      ]),
    ).rejects.toMatchObject({ name: 'SequelizeForeignKeyConstraintError' });
    expect((await db().repos.paymentEvents.insertOnce({ ...event, providerEventId: 'fk-1' })).inserted).toBe(true);
  });

  it('marks processed or failed and lists what is left for the recovery sweep', async () => {
    const payment = await makePayment(db().repos);
    const a = (await db().repos.paymentEvents.insertOnce(event)).event;
    const b = (await db().repos.paymentEvents.insertOnce({ ...event, providerEventId: 'evt-2' })).event;
    await db().repos.paymentEvents.markProcessed(a.id, { paymentId: payment.id });
    await db().repos.paymentEvents.markFailed(b.id, 'panel down');
    expect(await db().repos.paymentEvents.get(a.id)).toMatchObject({
      paymentId: payment.id,
      error: null,
    });
    expect((await db().repos.paymentEvents.get(a.id))?.processedAt).toBeInstanceOf(Date);
    const left = await db().repos.paymentEvents.listUnprocessed(new Date(Date.now() + 1000));
    expect(left.map((e) => [e.id, e.error])).toEqual([[b.id, 'panel down']]);
    expect((await db().repos.paymentEvents.listByPayment(payment.id)).map((e) => e.id)).toEqual([a.id]);
  });

  it('records why an event was rejected for good, and the sweep leaves it alone', async () => {
    const { event: e } = await db().repos.paymentEvents.insertOnce(event);
    await db().repos.paymentEvents.markFailed(e.id, 'database down');
    await db().repos.paymentEvents.markProcessed(e.id, { error: `PAYMENT_NOT_FOUND: ${'x'.repeat(3000)}` });
    const stored = await db().repos.paymentEvents.get(e.id);
    expect(stored?.processedAt).toBeInstanceOf(Date);
    expect(stored?.error).toMatch(/^PAYMENT_NOT_FOUND: x+$/);
    expect(stored?.error).toHaveLength(2000);
    expect(await db().repos.paymentEvents.listUnprocessed(new Date(Date.now() + 1000))).toEqual([]);
  });
});
