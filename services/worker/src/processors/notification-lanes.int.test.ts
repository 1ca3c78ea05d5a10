import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../testing/worker-harness.js';

const h = useWorkerHarness();
const BULK = 80;

describe('notification lanes', () => {
  it('a receipt queued behind a sweep of reminders reaches its customer long before the sweep is done', async () => {
    const reminded = await h.customer();
    const payer = await h.customer();
    // A sweep's worth of reminders (one chat, so the count is easy to read), queued first...
    await h.producers.sweepNotifications.addBulk(
      Array.from({ length: BULK }, (_, i) => ({
        payload: {
          userId: reminded.id,
          kind: 'expiry_reminder',
          reference: `bulk-${i}`,
          params: { days: 3, endsAt: new Date().toISOString() },
        },
      })),
    );
    // ...then a receipt.
    await h.producers.notifications.add({
      userId: payer.id,
      kind: 'payment_succeeded',
      reference: 'receipt-1',
      params: { amountMinor: 19_900, currency: 'RUB', endsAt: new Date().toISOString() },
    });
    await h.until(async () => (await h.messagesTo(payer)).length === 1, 20_000, 'the receipt');
    // One queue would have sent all the reminders first (Bull takes waiting jobs in order).
    const remindersBefore = (await h.messagesTo(reminded)).length;
    expect(remindersBefore).toBeLessThan(BULK / 2);
    // The sweep still completes, each reminder once.
    await h.until(async () => (await h.messagesTo(reminded)).length === BULK, 60_000, 'the reminders');
  }, 60_000);
});
