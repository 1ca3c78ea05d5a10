import { grantsAccess, OUTBOX_KIND } from '@vpn/billing';
import type { Subscription } from '@vpn/db';
import type { Actor } from '../actor.js';
import { audit, subscriptionSnapshot } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';

/** The customer's running subscription; `NOT_ALLOWED` when there is none (no key to act on). */
export async function runningSubscription(ctx: BackofficeContext, userId: number): Promise<Subscription> {
  const sub = await ctx.db.repos.subscriptions.getCurrentForUser(userId);
  if (!sub || !grantsAccess(sub.status, sub.endsAt, ctx.now()))
    throw new BackofficeError('NOT_ALLOWED', `user ${userId} has no running subscription`, 'userId', { userId });
  return sub;
}

/**
 * Asks the worker to do something on the panel for a subscription (`reissue`, `reset_traffic`):
 * a provisioning outbox row whose version is the request id, written with the audit entry in one
 * transaction. The row is also the job id, so the same request twice is one job and one panel
 * call; the worker retries it while the panel is down.
 */
export async function requestPanelWork(
  ctx: BackofficeContext,
  actor: Actor,
  sub: Subscription,
  work: { reason: 'reissue' | 'reset_traffic'; requestId: string; action: string; note: string | null },
): Promise<{ queued: boolean }> {
  const version = `${work.reason === 'reissue' ? 'rk' : 'rt'}-${work.requestId}`;
  const dedupeKey = `${work.reason}:sub:${sub.id}:${work.requestId}`;
  return ctx.db.transaction(async (tx) => {
    const added = await ctx.db.repos.outbox.addMany(
      [{ kind: OUTBOX_KIND.provision, payload: { subscriptionId: sub.id, version, reason: work.reason }, dedupeKey }],
      { transaction: tx },
    );
    if (added.length === 0) return { queued: false };
    await audit(ctx.db.repos, tx, actor, {
      action: work.action,
      entity: 'user',
      entityId: sub.userId,
      before: subscriptionSnapshot(sub),
      reason: work.note,
      details: { subscriptionId: sub.id, requestId: work.requestId },
    });
    return { queued: true };
  });
}
