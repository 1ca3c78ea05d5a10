import type { Plan, Subscription, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { convertedDays } from './domain/plan-change.js';
import { DAY_MS, isRunning } from './domain/subscription-dates.js';

/**
 * A plan change at settlement: the running subscription's remaining paid time on its old plan,
 * converted into whole days of the new one (`convertedDays`), plus what a refund of the payment
 * needs to put the old plan and its time back exactly.
 */
export interface PlanConversion {
  fromPlanId: number;
  remainingMs: number;
  convertedDays: number;
  trafficLimitBytes: number | null;
  deviceLimit: number | null;
  /** The end before the change (ISO). */
  previousEndsAt: string;
}

/** What a payment's settlement record keeps of a conversion: the conversion and the end it made. */
export type ConversionRecord = PlanConversion & { endsAt: string };

/** Whether buying `toPlan` converts `sub`: a running paid subscription on another plan. */
export function converts(sub: Subscription, toPlan: Pick<Plan, 'id'>, now: Date): sub is Subscription & { planId: number; endsAt: Date } {
  return (
    (sub.status === 'active' || sub.status === 'suspended') &&
    !sub.isTrial &&
    sub.planId !== null &&
    sub.planId !== toPlan.id &&
    isRunning(sub.endsAt, now)
  );
}

/** The conversion of `running` (which {@link converts}) from its plan `from` (null: gone) into `toPlan`. */
export function conversionOf(
  running: Subscription & { planId: number; endsAt: Date },
  from: Plan | null,
  toPlan: Plan,
  now: Date,
): PlanConversion {
  const remainingMs = running.endsAt.getTime() - now.getTime();
  return {
    fromPlanId: running.planId,
    remainingMs,
    convertedDays: from ? convertedDays(remainingMs, from, toPlan) : Math.floor(remainingMs / DAY_MS),
    trafficLimitBytes: running.trafficLimitBytes,
    deviceLimit: running.deviceLimit,
    previousEndsAt: running.endsAt.toISOString(),
  };
}

/**
 * The conversion buying `toPlan` makes of `running` at `now`; null when nothing converts: a trial,
 * no plan, the same plan (buying it again extends it), or no time left.
 */
export async function conversionFor(
  ctx: BillingContext,
  running: Subscription,
  toPlan: Plan,
  now: Date,
  tx?: Transaction,
): Promise<PlanConversion | null> {
  if (!converts(running, toPlan, now)) return null;
  return conversionOf(running, await ctx.repos.plans.get(running.planId, { transaction: tx }), toPlan, now);
}
