import type { SubscriptionChange } from '@vpn/billing';
import type { Server } from '@vpn/db';
import { canTakeUsers, outageMoveTarget } from '@vpn/vpn';
import { actorTag, type Actor } from '../actor.js';
import { auditSubscriptionChange, subscriptionSnapshot } from '../audit.js';
import { viaBilling, type BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

/** The server a move goes to, if it can take a new account (active, not drained, not down, below capacity). */
async function targetServer(ctx: BackofficeContext, serverId: number): Promise<Server> {
  const server = await ctx.db.repos.servers.get(serverId);
  if (!server) throw new BackofficeError('NOT_FOUND', `server ${serverId} not found`, 'serverId');
  if (!canTakeUsers(server))
    throw new BackofficeError(
      'NOT_ALLOWED',
      `server ${server.name} cannot take a new account (inactive, drained, down or full)`,
      'serverId',
      {
        serverId,
      },
    );
  return server;
}

/**
 * Move to another server (`customers:move`): the running subscription is placed on `serverId`;
 * provisioning makes the account there, deletes the old one and sends the customer the new link.
 * The server must be able to take a new account (active, not drained, not down, below capacity).
 */
export async function moveToServer(
  ctx: BackofficeContext,
  actor: Actor,
  input: { userId: number; serverId: number; reason?: string | null },
): Promise<SubscriptionChange> {
  authorize(actor, 'customers:move');
  const userId = v.id('userId', input.userId);
  const serverId = v.id('serverId', input.serverId);
  const reason = v.reason(input.reason);
  await targetServer(ctx, serverId);
  return viaBilling(() =>
    ctx.billing.staff.moveToServer(userId, serverId, {
      actor: actorTag(actor),
      note: reason ?? undefined,
      inTransaction: auditSubscriptionChange(ctx.db.repos, actor, { action: 'customer.move', userId, reason, details: { serverId } }),
    }),
  );
}

/**
 * The customer's own move off a down server (the button under the outage notice): the same
 * billing move as staff make, allowed only while the outage of the server their subscription is
 * on is open, to the best healthy server with room at the time of the press. Audited as the
 * system acting for the customer (no staff member acted).
 */
export async function moveOffDownServer(
  ctx: BackofficeContext,
  input: { userId: number; outageId: number },
): Promise<{ change: SubscriptionChange; server: Server }> {
  const userId = v.id('userId', input.userId);
  const outageId = v.id('outageId', input.outageId);
  const sub = await ctx.db.repos.subscriptions.getCurrentForUser(userId);
  const outage = sub?.serverId ? await ctx.db.repos.serverOutages.findOpen(sub.serverId) : null;
  if (!sub?.serverId || outage?.id !== outageId)
    throw new BackofficeError('NOT_ALLOWED', `outage ${outageId} is over or user ${userId} is not on its server`, 'outageId');
  const server = outageMoveTarget(await ctx.db.repos.servers.listActive(), sub.serverId);
  if (!server) throw new BackofficeError('NOT_ALLOWED', 'no healthy server can take an account now', 'serverId');
  const change = await viaBilling(() =>
    ctx.billing.staff.moveToServer(userId, server.id, {
      actor: `customer:${userId}`,
      note: `outage ${outageId}`,
      inTransaction: async (tx, moved) => {
        if (!moved) return;
        await ctx.db.repos.auditLog.append(
          {
            actorKind: 'system',
            action: 'customer.move',
            entity: 'user',
            entityId: String(userId),
            data: {
              before: subscriptionSnapshot(moved.before),
              after: subscriptionSnapshot(moved.after),
              by: 'customer',
              outageId,
              serverId: server.id,
            },
          },
          { transaction: tx },
        );
      },
    }),
  );
  return { change, server };
}
