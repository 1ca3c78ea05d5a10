import type { SubscriptionChange } from '@vpn/billing';
import { canTakeUsers } from '@vpn/vpn';
import { actorTag, type Actor } from '../actor.js';
import { auditSubscriptionChange } from '../audit.js';
import { viaBilling, type BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

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
  return viaBilling(() =>
    ctx.billing.staff.moveToServer(userId, serverId, {
      actor: actorTag(actor),
      note: reason ?? undefined,
      inTransaction: auditSubscriptionChange(ctx.db.repos, actor, { action: 'customer.move', userId, reason, details: { serverId } }),
    }),
  );
}
