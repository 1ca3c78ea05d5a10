import { createBackoffice, type Actor } from '@vpn/backoffice';
import { makeAdmin } from '@vpn/db/testing';
import { silentLogger } from '@vpn/logger';
import type { TgUser } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import { startClientWorld, type ClientWorld } from '../testing/client-world.js';

const DAY = 86_400_000;

describe('a plan edited while a checkout is open: the checkout keeps the terms it showed', () => {
  let w: ClientWorld;
  let owner: Actor;
  beforeAll(async () => {
    w = await startClientWorld('plan-edit');
    const admin = await makeAdmin(w.db.repos, { role: 'owner' });
    owner = { kind: 'admin', adminId: admin.id, role: 'owner' };
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l).slice(0, 1500))).toEqual([]);
    await w.close();
  });

  /** A new customer's checkout of the one-month plan; returns the checkout screen's text. */
  async function openCheckout(user: TgUser): Promise<string> {
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'buy' });
    const plans = await w.next(user);
    await w.press(
      user,
      labelsOf(plans).find((l) => l.startsWith('1 month'))!,
    );
    return (await w.nextEdit(user)).text ?? '';
  }
  const customer = async (user: TgUser) => (await w.db.repos.users.findByTelegramId(user.id))!;

  it('open checkout, an admin raises the price and cuts the period and devices, pay: the customer gets what was shown at the price shown', async () => {
    const en = w.i18n.forLanguage('en');
    const m1 = (await w.db.repos.plans.findByCode('m1'))!;
    expect(m1).toMatchObject({ priceMinor: 19_900, priceStars: 150, durationDays: 30, deviceLimit: 3 });
    const card = await w.newUser('en', 'Card');
    const stars = await w.newUser('en', 'Stars');
    expect(await openCheckout(card)).toContain('Total: ₽199');
    expect(await openCheckout(stars)).toContain('150 ⭐');

    // The admin's edit (the admin bot calls this same action).
    await createBackoffice({ db: w.db, billing: w.billing, logger: silentLogger() }).plans.update(owner, {
      planId: m1.id,
      priceMinor: 29_900,
      priceStars: 250,
      durationDays: 20,
      deviceLimit: 1,
    });
    await new Promise((r) => setTimeout(r, 250)); // the catalog cache's 200 ms

    // Card: the payment is made at 199 ₽ for 30 days and 3 devices.
    await w.press(card, en('client.checkout.methods.yookassa'));
    expect((await w.next(card)).text).toContain('₽199');
    const [payment] = await w.db.repos.payments.listByUser((await customer(card)).id);
    expect(payment).toMatchObject({ status: 'pending', amountMinor: 19_900, currency: 'RUB' });
    await w.billing.settlement.settlePayment({ paymentId: payment!.id, providerStatus: 'succeeded', amountMinor: 19_900, currency: 'RUB' });
    const sub = (await w.db.repos.subscriptions.getCurrentForUser((await customer(card)).id))!;
    expect(Math.round((sub.endsAt!.getTime() - Date.now()) / DAY)).toBe(30);
    expect(sub).toMatchObject({ status: 'active', deviceLimit: 3 });

    // Stars: the invoice is the 150 ⭐ shown, and it buys 30 days.
    await w.press(stars, en('client.checkout.methods.stars'));
    expect((await w.next(stars)).message.invoice).toMatchObject({ currency: 'XTR', total_amount: 150 });
    expect((await w.tg.payInvoice({ from: stars.id, bot: w.botInfo.id })).status).toBe('paid');
    expect((await w.next(stars)).text).toBe(`${en('client.payment.received')}\n\n${en('client.payment.linkFollows')}`);
    const starsSub = (await w.db.repos.subscriptions.getCurrentForUser((await customer(stars)).id))!;
    expect(Math.round((starsSub.endsAt!.getTime() - Date.now()) / DAY)).toBe(30);
    expect(starsSub.deviceLimit).toBe(3);

    // A checkout opened after the edit shows and charges the new terms.
    const late = await w.newUser('en', 'Late');
    const text = await openCheckout(late);
    expect(text).toContain('Total: ₽299');
    expect(text).toContain('250 ⭐');
    await w.press(late, en('client.checkout.methods.yookassa'));
    await w.next(late);
    const [latePayment] = await w.db.repos.payments.listByUser((await customer(late)).id);
    expect(latePayment).toMatchObject({ amountMinor: 29_900 });
    expect(latePayment!.metadata.terms).toMatchObject({ planDays: 20, deviceLimit: 1 });

    // The edit is audited: who, before and after.
    const [entry] = await w.db.repos.auditLog.list({ entity: 'plan', entityId: String(m1.id) });
    expect(entry).toMatchObject({ action: 'plan.update', actorId: owner.adminId });
    expect(entry!.data).toMatchObject({
      before: { priceMinor: 19_900, durationDays: 30 },
      after: { priceMinor: 29_900, durationDays: 20 },
    });
  });
});
