import type { Logger } from '@vpn/logger';
import { signStarsForward, STARS_FORWARD_SIGNATURE_HEADER } from '@vpn/payments';

/** How a forward ended: `accepted` (stored, or already stored), `rejected` (the service refused it for good), `failed` (unreachable). */
export type ForwardOutcome = 'accepted' | 'rejected' | 'failed';

/**
 * Hands a Telegram `successful_payment` message to the one settlement path: the webhooks service
 * verifies it, stores it once per charge id and enqueues settlement, as for every provider.
 */
export interface StarsForwarder {
  forward(message: unknown): Promise<ForwardOutcome>;
}

export interface HttpStarsForwarderOptions {
  /** The webhooks service's base URL (`PUBLIC_BASE_URL`). */
  baseUrl: string;
  /** `STARS_FORWARD_SECRET`; without it nothing can be forwarded (the payment poll settles it later). */
  secret?: string;
  logger: Logger;
  /** Tries before giving up; default 5 (≈ 6 s with the backoff). */
  attempts?: number;
  /** First pause between tries, doubled each time; default 200 ms. */
  backoffMs?: number;
  fetch?: typeof fetch;
}

/**
 * POSTs the message as JSON to `/webhooks/stars` with an HMAC of the exact body under the shared
 * secret (the secret itself never travels). Retries network errors and 5xx (the service is
 * idempotent by charge id); a 4xx is final.
 */
export function createHttpStarsForwarder(options: HttpStarsForwarderOptions): StarsForwarder {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/webhooks/stars`;
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 200;
  const doFetch = options.fetch ?? fetch;
  return {
    async forward(message) {
      const { secret } = options;
      if (!secret) {
        options.logger.error('STARS_FORWARD_SECRET is not set: a Stars payment cannot be forwarded now');
        return 'failed';
      }
      const body = JSON.stringify(message);
      const headers = { 'content-type': 'application/json', [STARS_FORWARD_SIGNATURE_HEADER]: signStarsForward(secret, body) };
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const res = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5_000) });
          if (res.ok) return 'accepted';
          const text = await res.text().catch(() => '');
          if (res.status < 500) {
            options.logger.error({ status: res.status, body: text.slice(0, 300) }, 'webhooks service refused a forwarded Stars payment');
            return 'rejected';
          }
          options.logger.warn({ status: res.status, attempt }, 'webhooks service failed a Stars forward, retrying');
        } catch (err) {
          options.logger.warn({ err, attempt }, 'webhooks service unreachable for a Stars forward, retrying');
        }
        if (attempt < attempts) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
      }
      return 'failed';
    },
  };
}
