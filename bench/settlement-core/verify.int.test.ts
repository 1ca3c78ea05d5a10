import { createBilling } from '@vpn/billing';
import { useTestDatabase } from '@vpn/db/testing';
import { silentLogger } from '@vpn/logger';
import { describe, expect, it } from 'vitest';
import { buildFixture, forEachConcurrent } from './fixture.js';
import { verify } from './verify.js';

// The bench's own checks must be able to fail: a clean run passes, a doubled extension does not.
describe('settlement-core bench: fixture and verification', () => {
  const db = useTestDatabase();

  it('passes after every payment settled once and catches a subscription extended twice', async () => {
    const billing = createBilling({ db: db(), logger: silentLogger() });
    const fixture = await buildFixture(db(), billing, { count: 30, warmup: 0, existing: 0.5, referred: 0.2, promo: 0.2, concurrency: 4 });
    expect(await verify(db(), billing, fixture)).toContainEqual(expect.stringMatching(/^payments: expected 30 succeeded/));
    await forEachConcurrent(fixture.payments.length, 8, async (i) => {
      const p = fixture.payments[i]!;
      await billing.settlement.settlePayment({
        paymentId: p.paymentId,
        providerStatus: 'succeeded',
        amountMinor: p.amountMinor,
        currency: p.currency,
      });
    });
    expect(await verify(db(), billing, fixture)).toEqual([]);

    await billing.subscriptions.grantDays(fixture.payments[3]!.userId, 1);
    expect(await verify(db(), billing, fixture)).toEqual(['buyers: 1 subscriptions not extended by exactly the days bought']);
  });
});
