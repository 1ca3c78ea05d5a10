import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

/** Longest message staff may send (a notification parameter holds 2000 characters). */
export const MESSAGE_MAX_LENGTH = 2000;

/**
 * Message the customer (`customers:message`): a notification (`staff_message`) the worker sends
 * as the client bot, once per `requestId`, retried while Telegram does not take it; the text is
 * sent as plain text (escaped), never as markup. The audit entry keeps the text.
 */
export async function messageCustomer(
  ctx: BackofficeContext,
  actor: Actor,
  input: { userId: number; text: string; requestId: string },
): Promise<{ queued: boolean }> {
  authorize(actor, 'customers:message');
  const userId = v.id('userId', input.userId);
  const text = v.text('text', input.text, 1, MESSAGE_MAX_LENGTH);
  const requestId = v.requestId(input.requestId);
  const user = await ctx.db.repos.users.findById(userId);
  if (!user) throw new BackofficeError('NOT_FOUND', `user ${userId} not found`, 'userId');
  const reference = `staff:${requestId}`;
  return ctx.db.transaction(async (tx) => {
    const added = await ctx.db.repos.outbox.addMany(
      [
        {
          kind: 'notify',
          payload: { userId, kind: 'staff_message', reference, params: { text } },
          dedupeKey: `notify:${userId}:staff_message:${reference}`,
        },
      ],
      { transaction: tx },
    );
    if (added.length === 0) return { queued: false };
    await audit(ctx.db.repos, tx, actor, { action: 'customer.message', entity: 'user', entityId: userId, details: { requestId, text } });
    return { queued: true };
  });
}
