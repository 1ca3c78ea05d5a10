import type { Actor } from '../actor.js';
import type { BackofficeContext } from '../context.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';
import { requestPanelWork, runningSubscription } from './panel-request.js';

/**
 * Reset traffic (`customers:reset_traffic`): the worker sets the used traffic of the customer's
 * panel account back to zero (retried while the panel is down). Once per `requestId`.
 */
export async function resetTraffic(
  ctx: BackofficeContext,
  actor: Actor,
  input: { userId: number; requestId: string; reason?: string | null },
): Promise<{ queued: boolean }> {
  authorize(actor, 'customers:reset_traffic');
  const userId = v.id('userId', input.userId);
  const requestId = v.requestId(input.requestId);
  const reason = v.reason(input.reason);
  const sub = await runningSubscription(ctx, userId);
  return requestPanelWork(ctx, actor, sub, { reason: 'reset_traffic', requestId, action: 'customer.reset_traffic', note: reason });
}
