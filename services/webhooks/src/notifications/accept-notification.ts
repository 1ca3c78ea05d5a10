import { PaymentError, type IncomingNotification, type ProviderName, type VerifiedNotification } from '@vpn/payments';
import type { Logger } from '@vpn/logger';
import type { NotificationOutcome } from '../metrics.js';
import type { EnqueueSettlement, NotificationStore, ProviderLookup } from './ports.js';

/** The HTTP answer to one notification; `outcome` feeds the metrics and the log line. */
export interface Acknowledgement {
  status: number;
  outcome: NotificationOutcome;
  body: Record<string, unknown>;
}

export interface AcceptDeps {
  providers: ProviderLookup;
  store: NotificationStore;
  enqueueSettlement: EnqueueSettlement;
}

/** An HTTP error the error middleware turns into a response and one log line. */
export class RejectedNotification extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly code: NotificationOutcome | 'not_found' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'RejectedNotification';
  }
}

/**
 * Forged requests get 401 (a bad signature), except YooKassa's, which are refused by sender
 * address and object re-read: 403. Attackers do not retry; a genuine provider that fails here
 * keeps retrying, which is what should surface a rotated key in its dashboard.
 */
const FORGED_STATUS: Partial<Record<ProviderName, number>> = { yookassa: 403 };

/**
 * Members a provider needs in every 200 answer to count the delivery: Sever Pay retries (up to 100
 * times) unless the JSON body says `"status": true` (severpay.md §6).
 */
const ACK_MEMBERS: Partial<Record<ProviderName, Record<string, unknown>>> = { severpay: { status: true } };

/**
 * verify → store once → enqueue settlement → acknowledge. Decisions (see README):
 * - unknown provider → 404; malformed → 400; forged → 401/403: thrown, nothing changes.
 * - replayed (stale or superseded event) → 200 `{ ignored: 'replayed' }`: acknowledging stops the
 *   provider's retries (CryptoPay disables a webhook after 3 days of failures), and nothing changes.
 * - a genuine notification for a payment we do not have → 200 `{ ignored: 'unknown_payment' }`
 *   for the same reason, logged at error level for a human; nothing stored. One whose amount or
 *   currency differs from the payment's is stored and acknowledged; the settlement processor
 *   refuses it (recorded on the event, logged, never settled: the payment stays as it was).
 * - a provider we could not re-read (YooKassa API down) → 503, so the provider retries later.
 * - a duplicate → 200 without a second job; re-enqueued only if its settlement never ran (the job
 *   id dedupes, so this recovers a lost enqueue without ever making two jobs).
 */
export async function acceptNotification(
  deps: AcceptDeps,
  providerName: string,
  incoming: IncomingNotification,
  log: Logger,
): Promise<Acknowledgement> {
  const ack = await decide(deps, providerName, incoming, log);
  const extra = ACK_MEMBERS[providerName as ProviderName];
  return extra ? { ...ack, body: { ...ack.body, ...extra } } : ack;
}

async function decide(deps: AcceptDeps, providerName: string, incoming: IncomingNotification, log: Logger): Promise<Acknowledgement> {
  const provider = deps.providers.get(providerName);
  if (!provider) throw new RejectedNotification(404, 'not_found', `unknown provider ${providerName}`);
  const notification = await verify(provider.name, () => provider.verifyNotification(incoming));
  if (notification === 'replayed') {
    log.warn({ provider: provider.name }, 'replayed payment notification; acknowledged, nothing changed');
    return { status: 200, outcome: 'replayed', body: { ok: true, ignored: 'replayed' } };
  }
  if (notification.provider !== provider.name) throw new RejectedNotification(401, 'forged', 'notification names another provider');

  const result = await deps.store.record(notification);
  const ids = { provider: notification.provider, eventId: notification.eventId, externalId: notification.externalId };
  switch (result.outcome) {
    case 'recorded':
      await deps.enqueueSettlement(result.eventRowId);
      log.info({ ...ids, status: notification.status, eventRowId: result.eventRowId }, 'payment notification accepted');
      return { status: 200, outcome: 'accepted', body: { ok: true } };
    case 'duplicate':
      if (!result.settled) await deps.enqueueSettlement(result.eventRowId);
      log.info({ ...ids, eventRowId: result.eventRowId, settled: result.settled }, 'duplicate payment notification');
      return { status: 200, outcome: 'duplicate', body: { ok: true, duplicate: true } };
    case 'unknown_payment':
      log.error(ids, 'genuine notification for an unknown payment; acknowledged, nothing stored');
      return { status: 200, outcome: 'unknown_payment', body: { ok: true, ignored: 'unknown_payment' } };
  }
}

async function verify(provider: ProviderName, run: () => Promise<VerifiedNotification>): Promise<VerifiedNotification | 'replayed'> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof PaymentError)) throw err;
    switch (err.code) {
      case 'replayed':
        return 'replayed';
      case 'forged':
        throw new RejectedNotification(FORGED_STATUS[provider] ?? 401, 'forged', err.message);
      case 'malformed':
        throw new RejectedNotification(400, 'malformed', err.message);
      case 'not_configured':
        throw new RejectedNotification(404, 'not_found', err.message);
      default:
        // The provider's API could not confirm it (YooKassa re-read): let the provider retry.
        if (err.retryable) throw new RejectedNotification(503, 'unavailable', err.message);
        throw err;
    }
  }
}
