import { describe, expect, it } from 'vitest';
import type { Payment } from '@vpn/db';
import { mismatchReason } from './notification-mismatch.js';
import type { StoredNotification } from './stored-notification.schema.js';

const payment = { id: 'p-1', provider: 'cryptopay', externalId: '42', amountMinor: 19_900, currency: 'RUB' } as Payment;
const n: StoredNotification = {
  provider: 'cryptopay',
  eventId: 'e',
  externalId: '42',
  status: 'succeeded',
  amountMinor: 19_900,
  currency: 'RUB',
  occurredAt: '2030-01-01T00:00:00Z',
};

describe('mismatchReason', () => {
  it('accepts a notification that matches the payment', () => {
    expect(mismatchReason(n, payment)).toBeNull();
    expect(mismatchReason(n, { ...payment, externalId: null })).toBeNull();
  });

  it('names what differs', () => {
    expect(mismatchReason({ ...n, amountMinor: 100 }, payment)).toBe('amount 100 is not 19900');
    expect(mismatchReason({ ...n, currency: 'USD' }, payment)).toBe('currency USD is not RUB');
    expect(mismatchReason({ ...n, provider: 'yookassa' }, payment)).toBe('payment belongs to cryptopay');
    expect(mismatchReason({ ...n, externalId: '43' }, payment)).toBe('external id 43 is not 42');
  });

  it('lets a charge id replace our own id as the external id of a Stars payment', () => {
    const stars = {
      id: 'a3a7c8f0-0000-4000-8000-000000000001',
      provider: 'stars',
      externalId: 'a3a7c8f0-0000-4000-8000-000000000001',
      amountMinor: 150,
      currency: 'XTR',
    } as Payment;
    const paid: StoredNotification = { ...n, provider: 'stars', externalId: 'stxCharge1', amountMinor: 150, currency: 'XTR' };
    expect(mismatchReason(paid, stars)).toBeNull();
    expect(mismatchReason(paid, { ...stars, externalId: 'stxCharge0' })).toBe('external id stxCharge1 is not stxCharge0');
  });

  it('lets a partial refund carry its own amount', () => {
    expect(
      mismatchReason(
        { ...n, status: 'succeeded', amountMinor: 500, refund: { refundId: 'r', amountMinor: 500, status: 'succeeded' } },
        payment,
      ),
    ).toBeNull();
  });
});
