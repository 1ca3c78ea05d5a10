import type { SubscriptionChange } from '@vpn/billing';
import { actorTag, type Actor } from '../actor.js';
import { auditSubscriptionChange } from '../audit.js';
import { viaBilling, type BackofficeContext } from '../context.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';
import type { DaysInput } from './extend.js';

/**
 * Grant a plan for N days (`customers:grant_plan`): the customer's subscription takes the plan
 * and its traffic and device limits and N more days (from its end if running), with no payment.
 * An archived plan may be granted (keeping an old customer on it).
 */
export async function grantPlan(ctx: BackofficeContext, actor: Actor, input: DaysInput & { planId: number }): Promise<SubscriptionChange> {
  authorize(actor, 'customers:grant_plan');
  const userId = v.id('userId', input.userId);
  const planId = v.id('planId', input.planId);
  const days = v.days(input.days);
  const reason = v.reason(input.reason);
  return viaBilling(() =>
    ctx.billing.staff.grantPlan(userId, planId, days, {
      actor: actorTag(actor),
      note: reason ?? undefined,
      inTransaction: auditSubscriptionChange(ctx.db.repos, actor, {
        action: 'customer.grant_plan',
        userId,
        reason,
        details: { planId, days },
      }),
    }),
  );
}
