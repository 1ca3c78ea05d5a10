import type { StaffService, SubscriptionChange } from '@vpn/billing';
import { actorTag, type Actor } from '../actor.js';
import { auditSubscriptionChange } from '../audit.js';
import { viaBilling, type BackofficeContext } from '../context.js';
import { authorize, type Permission } from '../permissions.js';
import * as v from '../validate.js';

export interface DaysInput {
  userId: number;
  /** 1..3650. */
  days: number;
  /** Why (kept in the audit entry and the subscription history); up to 500 characters. */
  reason?: string | null;
}

/** A change of the customer's days through billing's staff service, with its audit entry in the same transaction. */
export async function changeDays(
  ctx: BackofficeContext,
  actor: Actor,
  input: DaysInput,
  spec: { permission: Permission; action: string; call: (staff: StaffService) => StaffService['extend'] },
): Promise<SubscriptionChange> {
  authorize(actor, spec.permission);
  const userId = v.id('userId', input.userId);
  const days = v.days(input.days);
  const reason = v.reason(input.reason);
  return viaBilling(() =>
    spec.call(ctx.billing.staff)(userId, days, {
      actor: actorTag(actor),
      note: reason ?? undefined,
      inTransaction: auditSubscriptionChange(ctx.db.repos, actor, { action: spec.action, userId, reason, details: { days } }),
    }),
  );
}

/**
 * Extend by N days (`customers:extend`): a running subscription from its end, an ended one from
 * now, none at all → a new one. The panel follows through provisioning.
 */
export function extend(ctx: BackofficeContext, actor: Actor, input: DaysInput): Promise<SubscriptionChange> {
  return changeDays(ctx, actor, input, {
    permission: 'customers:extend',
    action: 'customer.extend',
    call: (staff) => staff.extend.bind(staff),
  });
}
