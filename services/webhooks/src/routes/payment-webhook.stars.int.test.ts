import { describe, expect, it } from 'vitest';
import { signStarsForward, STARS_FORWARD_SIGNATURE_HEADER } from '@vpn/payments';
import { buildSuccessfulPaymentMessage } from '@vpn/payments/testing';
import { recordingLogger } from '../testing/serve.js';
import { STARS_FORWARD_SECRET, useWebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: a forwarded Stars payment counts only with the client bot's HMAC over the exact
// body; anything else is refused and changes nothing.
const { logger, lines } = recordingLogger();
const h = useWebhookHarness({ logger, lines });

const forward = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${h.served.url}/webhooks/stars`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }).then(
    (r) => r.status,
  );
const signed = (body: string, secret = STARS_FORWARD_SECRET) => ({ [STARS_FORWARD_SIGNATURE_HEADER]: signStarsForward(secret, body) });

async function paidMessage() {
  const { paymentId } = await h.checkout('stars');
  const body = JSON.stringify(buildSuccessfulPaymentMessage({ payload: paymentId, amount: 150, userId: 4242 }));
  return { paymentId, body };
}

describe('POST /webhooks/stars (the client bot forwarding successful_payment)', () => {
  it('accepts a correctly signed forward once, however often it comes', async () => {
    const { paymentId, body } = await paidMessage();
    expect(await forward(body, signed(body))).toBe(200);
    expect(await forward(body, signed(body))).toBe(200);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(1);
  });

  it('refuses a forward signed with another secret, a changed body, no signature, and the raw secret alone: 401, nothing stored', async () => {
    const { paymentId, body } = await paidMessage();
    const cheaper = body.replace('"total_amount":150', '"total_amount":1');
    expect(cheaper).not.toBe(body);
    const statuses = [
      await forward(body, signed(body, 'another-secret-of-sixteen+')),
      await forward(cheaper, signed(body)),
      await forward(body),
      await forward(body, { 'x-forward-secret': STARS_FORWARD_SECRET }),
    ];
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
    expect(lines.filter((l) => l.msg === 'request rejected').map((l) => [l.status, l.code])).toEqual(Array(4).fill([401, 'forged']));
  });
});
