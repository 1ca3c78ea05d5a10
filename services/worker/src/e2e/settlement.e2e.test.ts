import { describe, expect, it } from 'vitest';
import { cryptoPaySignature } from '@vpn/payments';
import { useE2eHarness } from '../testing/e2e-harness.js';
import { expectSettledOnce } from '../testing/settled-once.js';

const DAY = 86_400_000;
const h = useE2eHarness();

describe('webhooks → worker, as processes', () => {
  it('the same notification ten times in a row and ten at once settles once, extends once, tells once', async () => {
    await h.startWorker();
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.checkout(user, plan);
    const before = Date.now();
    h.cryptoPay.hold();
    h.cryptoPay.pay(invoiceId);
    const genuine = h.cryptoPay.notifications.at(-1)!;
    const sequential: Array<number | 'error'> = [];
    for (let i = 0; i < 10; i++) sequential.push(await h.cryptoPay.deliverRaw(genuine.body, genuine.headers));
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => h.cryptoPay.deliverRaw(genuine.body, genuine.headers)));
    expect([...sequential, ...concurrent]).toEqual(Array(20).fill(200));

    const subscriptionId = await expectSettledOnce(h, user, paymentId, before);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(1);
    expect(h.panel.userKeys()).toEqual([`vpn_s${subscriptionId}`]);
    h.cryptoPay.setWebhookUrl(`${h.webhooksUrl}/webhooks/cryptopay`);
    await h.cryptoPay.release();
  });

  it('forged, wrong amount, unknown payment and a replay of an old event change nothing', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.checkout(user, plan);
    h.cryptoPay.hold();
    h.cryptoPay.pay(invoiceId);
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${h.webhooksUrl}/webhooks/cryptopay`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      }).then((r) => r.status);

    // Forged: the body changed after signing.
    expect(await h.cryptoPay.deliverTampered('body')).toBe(401);
    // Replay: a genuine update far older than the replay window (4 days).
    const old = h.cryptoPay.buildUpdate(invoiceId, { requestDate: new Date(Date.now() - 5 * DAY) });
    expect(await post(old.body, old.headers)).toBe(200);
    // Wrong amount: genuinely signed, but for 1.00 instead of 199.00.
    const cheap = JSON.parse(h.cryptoPay.notifications.at(-1)!.body) as { payload: { amount: string } };
    cheap.payload.amount = '1.00';
    const cheapBody = JSON.stringify(cheap);
    expect(await post(cheapBody, { 'crypto-pay-api-signature': cryptoPaySignature(h.cryptoPay.token, cheapBody) })).toBe(200);
    // Unknown payment: genuinely signed, our payload replaced by an id we never issued.
    const stranger = JSON.parse(h.cryptoPay.notifications.at(-1)!.body) as { payload: { payload: string; invoice_id: number } };
    stranger.payload.payload = '00000000-0000-4000-8000-000000000000';
    stranger.payload.invoice_id = 999_999;
    const strangerBody = JSON.stringify(stranger);
    expect(await post(strangerBody, { 'crypto-pay-api-signature': cryptoPaySignature(h.cryptoPay.token, strangerBody) })).toBe(200);

    await new Promise((r) => setTimeout(r, 1_500));
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('pending');
    // Only the wrong-amount notification was stored, refused by settlement and never applied.
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events.map((e) => [e.processedAt, e.error])).toEqual([[null, 'mismatch: amount 100 is not 19900']]);
    expect(await h.db.repos.subscriptions.getCurrentForUser(user.id)).toBeNull();
    expect(await h.messagesTo(user)).toEqual([]);
    // One line per refused request: the forgery rejected, the replay and the stranger acknowledged.
    const outcomes = h.webhooks.lines.filter((l) => typeof l.msg === 'string' && /replayed|unknown payment|request rejected/.test(l.msg));
    expect(outcomes.map((l) => l.msg)).toEqual([
      'request rejected',
      'replayed payment notification; acknowledged, nothing changed',
      'genuine notification for an unknown payment; acknowledged, nothing stored',
    ]);
  });
});
