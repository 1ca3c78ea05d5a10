import type { BalanceEntry } from '@vpn/db';
import { actorTag, type Actor } from '../actor.js';
import { audit } from '../audit.js';
import { viaBilling, type BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

export interface AdjustBalanceInput {
  userId: number;
  /** Signed minor units: a credit is positive, a debit negative; never zero, at most 1 000 000.00 either way. */
  amountMinor: number;
  /** Required: the customer's card and the audit log show it. */
  reason: string;
  /** The confirmation's nonce: a repeated press adjusts once. */
  requestId: string;
}

export interface AdjustBalanceResult {
  entry: BalanceEntry;
  /** false: this request was applied before (nothing changed now). */
  changed: boolean;
  balanceMinor: number;
}

const MAX_MINOR = 100_000_000;

/**
 * Credit or debit a customer's balance with a reason (`customers:adjust_balance`): one ledger
 * entry of kind `adjustment` and the audit entry `customer.balance_adjust`, in one transaction. A
 * debit beyond the balance is refused (`NOT_ALLOWED`, billing code `INSUFFICIENT_BALANCE`).
 */
export async function adjustBalance(ctx: BackofficeContext, actor: Actor, input: AdjustBalanceInput): Promise<AdjustBalanceResult> {
  authorize(actor, 'customers:adjust_balance');
  const userId = v.id('userId', input.userId);
  const reason = v.reason(input.reason, true) as string;
  const requestId = v.requestId(input.requestId);
  const amount = input.amountMinor;
  if (typeof amount !== 'number' || amount === 0)
    throw new BackofficeError('INVALID_INPUT', 'amountMinor: must not be zero', 'amountMinor');
  const amountMinor = Math.sign(amount) * v.intIn('amountMinor', Math.abs(amount), 1, MAX_MINOR);
  return viaBilling(() =>
    ctx.billing.balance.adjust({
      userId,
      amountMinor,
      reason,
      actor: actorTag(actor),
      idempotencyKey: `${userId}:${requestId}`,
      inTransaction: async (tx, entry, changed) => {
        if (!changed) return;
        await audit(ctx.db.repos, tx, actor, {
          action: 'customer.balance_adjust',
          entity: 'user',
          entityId: userId,
          reason,
          before: { balanceMinor: entry.balanceAfterMinor - entry.amountMinor },
          after: { balanceMinor: entry.balanceAfterMinor },
          details: { amountMinor, currency: entry.currency, entryId: entry.id },
        });
      },
    }),
  );
}
