import { checkClaim, rereadForNotification } from '../../claim.js';
import type { IpAllowList } from '../../ip-allow-list.js';
import { toVerifiedNotification } from '../../notification.js';
import { parseJsonBody, parseWith } from '../../parse.js';
import { PaymentError, type IncomingNotification, type ProviderPayment, type VerifiedNotification } from '../../provider.js';
import { heleketStatus } from './heleket.mapping.js';
import { heleketWebhookSchema } from './heleket.schema.js';
import { isValidHeleketWebhookSign } from './heleket.signature.js';

const forged = (message: string) => new PaymentError('forged', `heleket: ${message}`, { provider: 'heleket' });

/**
 * A Heleket webhook is believed only when (1) it comes from an allowed address, (2) its `sign`
 * matches (heleket.md §4) and (3) re-reading the invoice with our key agrees with it; we then act
 * on the re-read invoice. The event id is `${uuid}:${status}` of the re-read invoice, so
 * duplicates, and a stale webhook (a `check` arriving after `paid`), name an event already seen
 * or are acknowledged as superseded.
 */
export async function verifyHeleketNotification(
  input: IncomingNotification,
  deps: { paymentKey: string; allowList: IpAllowList | undefined; read: (uuid: string) => Promise<ProviderPayment>; now: () => Date },
): Promise<VerifiedNotification> {
  if (deps.allowList && !deps.allowList.has(input.ip)) throw forged(`sender ${input.ip} is not an allowed address`);
  const parsed = parseJsonBody('heleket', input.rawBody);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new PaymentError('malformed', 'heleket: webhook is not an object', { provider: 'heleket' });
  if (!isValidHeleketWebhookSign(parsed as Record<string, unknown>, input.rawBody.toString('utf8'), deps.paymentKey))
    throw forged('sign is missing or does not match the body');
  const hook = parseWith('heleket', heleketWebhookSchema, parsed, 'webhook');
  if (hook.type !== 'payment') throw new PaymentError('replayed', `heleket: ${hook.type} webhooks are not ours`, { provider: 'heleket' });

  const view = await rereadForNotification('heleket', hook.uuid, deps.read);
  if (view.paymentId !== hook.order_id) throw forged(`invoice ${hook.uuid} belongs to another order`);
  checkClaim('heleket', heleketStatus(hook.status, hook.is_final === true || hook.is_final === 1), hook.status, view);
  const status = (view.raw as { payment_status?: string; status?: string } | undefined)?.payment_status ?? hook.status;
  return toVerifiedNotification('heleket', view, `${view.externalId}:${status}`, view.paidAt ?? deps.now());
}
