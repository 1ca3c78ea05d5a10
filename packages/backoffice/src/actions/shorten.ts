import type { SubscriptionChange } from '@vpn/billing';
import type { Actor } from '../actor.js';
import type { BackofficeContext } from '../context.js';
import { changeDays, type DaysInput } from './extend.js';

/**
 * Shorten by N days (`customers:shorten`): off the end of the running subscription, never before
 * now; if nothing is left it is cancelled. Auto-renew goes off. Refused (`NOT_ALLOWED`) when
 * nothing is running.
 */
export function shorten(ctx: BackofficeContext, actor: Actor, input: DaysInput): Promise<SubscriptionChange> {
  return changeDays(ctx, actor, input, {
    permission: 'customers:shorten',
    action: 'customer.shorten',
    call: (staff) => staff.shorten.bind(staff),
  });
}
