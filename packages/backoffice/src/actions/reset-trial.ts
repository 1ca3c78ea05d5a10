import type { User } from '@vpn/db';
import { actorTag, type Actor } from '../actor.js';
import { audit, customerSnapshot } from '../audit.js';
import { viaBilling, type BackofficeContext } from '../context.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

/**
 * Reset the trial (`customers:reset_trial`): the customer may take the free trial once more
 * (the client bot offers it again). Refused while a subscription is running.
 */
export async function resetTrial(ctx: BackofficeContext, actor: Actor, input: { userId: number; reason?: string | null }): Promise<User> {
  authorize(actor, 'customers:reset_trial');
  const userId = v.id('userId', input.userId);
  const reason = v.reason(input.reason);
  const change = await viaBilling(() =>
    ctx.billing.staff.resetTrial(userId, {
      actor: actorTag(actor),
      inTransaction: async (tx, c) => {
        await audit(ctx.db.repos, tx, actor, {
          action: 'customer.reset_trial',
          entity: 'user',
          entityId: userId,
          before: customerSnapshot(c.before),
          after: customerSnapshot(c.after),
          reason,
        });
      },
    }),
  );
  return change.after;
}
