import type { AuditEntry, Payment, Repositories, Subscription, Transaction, User } from '@vpn/db';
import type { Actor } from './actor.js';

/** One audit entry of a staff action: who (the actor), what, on which row, before and after, why. */
export interface AuditRecord {
  /** `<resource>.<verb>`: `customer.extend`, `payment.refund`, `plan.update` ... */
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  /** What the staff member typed as the reason, when the action asks for one. */
  reason?: string | null;
  /** Anything else worth keeping (days, amount, provider refund id ...). */
  details?: Record<string, unknown>;
}

/**
 * Appends the audit entry of `actor`'s action in `tx`, the transaction that made the change: both
 * commit or neither does. The log is append-only (a database trigger refuses UPDATE and DELETE);
 * `created_at` is when. Never put secrets here: snapshots below leave them out.
 */
export async function audit(
  repos: Pick<Repositories, 'auditLog'>,
  tx: Transaction,
  actor: Actor,
  record: AuditRecord,
): Promise<AuditEntry> {
  return repos.auditLog.append(
    {
      actorKind: actor.kind,
      actorId: actor.adminId,
      action: record.action,
      entity: record.entity,
      entityId: String(record.entityId),
      data: {
        ...(record.before !== undefined ? { before: record.before } : {}),
        ...(record.after !== undefined ? { after: record.after } : {}),
        ...(record.reason ? { reason: record.reason } : {}),
        ...record.details,
      },
    },
    { transaction: tx },
  );
}

/** The fields of a subscription an audit entry keeps (dates as ISO strings). */
export function subscriptionSnapshot(sub: Subscription | null): Record<string, unknown> | null {
  if (!sub) return null;
  return {
    id: sub.id,
    status: sub.status,
    planId: sub.planId,
    serverId: sub.serverId,
    isTrial: sub.isTrial,
    endsAt: sub.endsAt?.toISOString() ?? null,
    trafficLimitBytes: sub.trafficLimitBytes,
    deviceLimit: sub.deviceLimit,
    autoRenew: sub.autoRenew,
    version: sub.version,
  };
}

/** The fields of a customer an audit entry keeps. */
export function customerSnapshot(user: User | null): Record<string, unknown> | null {
  if (!user) return null;
  return {
    blocked: user.blocked,
    blockedReason: user.blockedReason,
    trialUsedAt: user.trialUsedAt?.toISOString() ?? null,
    trialResetAt: user.trialResetAt?.toISOString() ?? null,
  };
}

/** The fields of a payment an audit entry keeps. */
export function paymentSnapshot(payment: Payment): Record<string, unknown> {
  const refunds = payment.metadata.refunds;
  return {
    status: payment.status,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    refundedAt: payment.refundedAt?.toISOString() ?? null,
    ...(Array.isArray(refunds) ? { refunds: refunds.length } : {}),
  };
}

/**
 * The `inTransaction` hook for a billing subscription change: its audit entry (the customer's
 * subscription before and after) written in the change's own transaction; nothing when billing
 * found nothing to change (`null`).
 */
export function auditSubscriptionChange(
  repos: Pick<Repositories, 'auditLog'>,
  actor: Actor,
  record: { action: string; userId: number; reason: string | null; details?: Record<string, unknown> },
) {
  return async (tx: Transaction, change: { before: Subscription | null; after: Subscription } | null): Promise<void> => {
    if (!change) return;
    await audit(repos, tx, actor, {
      action: record.action,
      entity: 'user',
      entityId: record.userId,
      before: subscriptionSnapshot(change.before),
      after: subscriptionSnapshot(change.after),
      reason: record.reason,
      details: record.details,
    });
  };
}
