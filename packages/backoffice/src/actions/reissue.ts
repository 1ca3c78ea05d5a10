import type { Actor } from '../actor.js';
import type { BackofficeContext } from '../context.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';
import { requestPanelWork, runningSubscription } from './panel-request.js';

/**
 * Reissue the key (`customers:reissue`): the worker revokes the customer's key on the panel,
 * stores the new one and sends it to the customer (the same path as the customer's own reissue).
 * `requestId` (the confirmation button's nonce) makes a repeated press one reissue.
 * @returns queued false when this request was already made
 */
export async function reissueKey(
  ctx: BackofficeContext,
  actor: Actor,
  input: { userId: number; requestId: string; reason?: string | null },
): Promise<{ queued: boolean }> {
  authorize(actor, 'customers:reissue');
  const userId = v.id('userId', input.userId);
  const requestId = v.requestId(input.requestId);
  const reason = v.reason(input.reason);
  const sub = await runningSubscription(ctx, userId);
  return requestPanelWork(ctx, actor, sub, { reason: 'reissue', requestId, action: 'customer.reissue', note: reason });
}
