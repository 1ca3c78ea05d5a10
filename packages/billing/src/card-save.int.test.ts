import { describe, expect, it } from 'vitest';
import { useHarness } from './testing/harness.js';

describe("saving a card for auto-renew needs the customer's consent (issue 11, items 4 and 5)", () => {
  const h = useHarness();
  const pay = async (userId: number, planId: number, saveCard: boolean, key: string) => {
    const { payment } = await h.billing.ledger.createPendingPayment({
      userId,
      planId,
      provider: 'yookassa',
      idempotencyKey: key,
      saveCard,
    });
    await h.billing.settlement.settlePayment({
      paymentId: payment.id,
      providerStatus: 'succeeded',
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      savedPaymentMethodId: `pm-${key}`,
    });
    return (await h.db.repos.subscriptions.getCurrentForUser(userId))!;
  };

  it('a card saved without consent never switches auto-renew on; with it, it does; switched off stays off after a manual renewal', async () => {
    const plan = await h.plan();
    const user = await h.user();
    expect(await h.billing.cardSave.offer(user.id)).toEqual({ offered: true, preset: true });
    expect((await pay(user.id, plan.id, false, 'no-consent')).autoRenew).toBe(false);
    const sub = await pay(user.id, plan.id, true, 'consent');
    expect(sub).toMatchObject({ autoRenew: true, savedPaymentMethodId: 'pm-consent' });
    // The customer switches auto-renew off, then renews by hand without ticking the box again.
    await h.billing.subscriptions.setAutoRenew(sub.id, false, { actor: `user:${user.id}` });
    expect(await h.billing.cardSave.offer(user.id)).toEqual({ offered: true, preset: false });
    expect((await pay(user.id, plan.id, false, 'manual')).autoRenew).toBe(false);
  });

  it('a shop without recurring payments offers no card saving; the operator presets the button', async () => {
    const user = await h.user();
    await h.db.repos.settings.set('autoRenew.saveCardDefault', false);
    expect(await h.billing.cardSave.offer(user.id)).toEqual({ offered: true, preset: false });
    await h.db.repos.settings.set('payments.recurringEnabled', false);
    expect(await h.billing.cardSave.offer(user.id)).toEqual({ offered: false, preset: false });
  });
});
