import type { Balance, BalanceEntry, Payment, PaymentProvider, Transaction } from '@vpn/db';
import { moveBalance } from './balance.js';
import type { BillingContext } from './context.js';
import type { BalanceSettings } from './domain/settings.js';
import { BillingError, isBillingError } from './errors.js';
import { createLedgerService, type CreatePaymentRequest } from './ledger.js';
import { createSettlementService, type SettleResult } from './settlement.js';

export interface TopUpRequest {
  userId: number;
  /** Any enabled provider that takes the balance's currency (not `balance`, not Stars). */
  provider: Exclude<PaymentProvider, 'balance'>;
  amountMinor: number;
  /** The caller's key for this top-up: a retry returns the same payment. */
  idempotencyKey: string;
}

export interface AdjustRequest {
  userId: number;
  /** Signed: a credit is positive, a debit negative. */
  amountMinor: number;
  /** Default: the balance currency of the settings. */
  currency?: string;
  /** Required: shown to staff in the customer's card and the audit log. */
  reason: string;
  /** `admin:<telegram id>` and the like. */
  actor: string;
  /** The adjustment's key (the staff action's nonce): a double press adjusts once. */
  idempotencyKey: string;
  /** Writes the caller's rows (its audit entry) in the same transaction. */
  inTransaction?: (tx: Transaction, entry: BalanceEntry, changed: boolean) => Promise<void>;
}

/** The balance's side of billing: reading it, topping it up, and staff adjustments. */
export function createBalanceService(ctx: BillingContext) {
  const ledger = createLedgerService(ctx);
  const settlement = createSettlementService(ctx);
  return {
    /**
     * Buys a plan with the balance alone: a payment of provider `balance` at the plan's price
     * (promo codes apply as at any checkout), settled at once: the debit and the extension commit
     * together under the balance's row lock, so purchases at once can never overdraw it. A
     * balance that cannot cover it refuses with `INSUFFICIENT_BALANCE` and the payment is
     * cancelled (silently). The same `idempotencyKey` again returns `already_settled`.
     * @throws BillingError `INSUFFICIENT_BALANCE` and everything `createPendingPayment` throws
     */
    async payForPlan(req: Omit<CreatePaymentRequest, 'provider' | 'saveCard' | 'balanceMinor'>): Promise<SettleResult> {
      const { payment } = await ledger.createPendingPayment({ ...req, provider: 'balance' });
      if (payment.status !== 'pending' && payment.status !== 'succeeded')
        throw new BillingError('ILLEGAL_TRANSITION', `payment ${payment.id} from the balance is ${payment.status}`, {
          paymentId: payment.id,
        });
      try {
        return await settlement.settlePayment({
          paymentId: payment.id,
          providerStatus: 'succeeded',
          amountMinor: payment.amountMinor,
          currency: payment.currency,
        });
      } catch (err) {
        if (isBillingError(err, 'INSUFFICIENT_BALANCE')) await ledger.cancelPayment(payment.id, 'insufficient_balance');
        throw err;
      }
    },

    /** How customers top up: currency, preset amounts, limits (settings, with defaults). */
    async topUpOptions(): Promise<BalanceSettings> {
      return (await ctx.settings()).balance;
    },
    /** The customer's balances, one per currency they ever had (zero ones included). */
    list: (userId: number): Promise<Balance[]> => ctx.repos.balances.listForUser(userId),
    /** The customer's balance in `currency` (default the settings' currency); 0 when none. */
    async amount(userId: number, currency?: string): Promise<number> {
      return ctx.repos.balances.amount(userId, currency ?? (await ctx.settings()).balance.currency);
    },
    /** The newest entries first. */
    entries: (userId: number, options: { limit?: number; beforeId?: number } = {}): Promise<BalanceEntry[]> =>
      ctx.repos.balances.listEntries(userId, options),

    /**
     * A pending `top_up` payment of `amountMinor` in the balance currency, within the settings'
     * limits (`AMOUNT_OUT_OF_RANGE`). The caller has the provider make its payment page;
     * settlement credits the balance once (`credited`).
     * @throws BillingError `INVALID_INPUT` | `USER_NOT_FOUND` | `USER_BLOCKED` | `AMOUNT_OUT_OF_RANGE` | `IDEMPOTENCY_CONFLICT`
     */
    async createTopUp(req: TopUpRequest): Promise<{ payment: Payment; created: boolean }> {
      const { balance } = await ctx.settings();
      if ((req.provider as string) === 'balance' || req.provider === 'stars')
        throw new BillingError('INVALID_INPUT', `a balance in ${balance.currency} cannot be topped up with ${req.provider}`, { ...req });
      if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor < balance.minMinor || req.amountMinor > balance.maxMinor)
        throw new BillingError('AMOUNT_OUT_OF_RANGE', `top-up ${req.amountMinor} outside ${balance.minMinor}..${balance.maxMinor}`, {
          amountMinor: req.amountMinor,
          minMinor: balance.minMinor,
          maxMinor: balance.maxMinor,
        });
      const user = await ctx.repos.users.findById(req.userId);
      if (!user) throw new BillingError('USER_NOT_FOUND', `user ${req.userId} not found`, { userId: req.userId });
      if (user.blocked) throw new BillingError('USER_BLOCKED', `user ${req.userId} is blocked`, { userId: req.userId });
      const made = await ctx.repos.payments.create({
        userId: req.userId,
        provider: req.provider,
        idempotencyKey: req.idempotencyKey,
        amountMinor: req.amountMinor,
        currency: balance.currency,
        kind: 'top_up',
        planId: null,
        metadata: { topUp: true },
      });
      const p = made.payment;
      if (
        !made.created &&
        (p.userId !== req.userId || p.kind !== 'top_up' || p.provider !== req.provider || p.amountMinor !== req.amountMinor)
      )
        throw new BillingError('IDEMPOTENCY_CONFLICT', `idempotency key ${req.idempotencyKey} belongs to another payment`, {
          paymentId: p.id,
        });
      if (made.created) ctx.logger.info({ paymentId: p.id, userId: req.userId, amountMinor: p.amountMinor }, 'top-up created');
      return made;
    },

    /**
     * A staff credit or debit with a reason, once per `idempotencyKey` (`changed: false` for a
     * repeat). A debit beyond the balance is refused (`INSUFFICIENT_BALANCE`).
     * @throws BillingError `INVALID_INPUT` | `USER_NOT_FOUND` | `INSUFFICIENT_BALANCE`
     */
    async adjust(req: AdjustRequest): Promise<{ entry: BalanceEntry; changed: boolean; balanceMinor: number }> {
      const reason = req.reason.trim();
      if (!reason || reason.length > 500) throw new BillingError('INVALID_INPUT', 'an adjustment needs a reason of 1..500 characters', {});
      if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor === 0)
        throw new BillingError('INVALID_INPUT', 'an adjustment moves a non-zero whole amount', { amountMinor: req.amountMinor });
      const currency = req.currency ?? (await ctx.settings()).balance.currency;
      return ctx.transaction(async (tx) => {
        const user = await ctx.repos.users.lockForUpdate(req.userId, { transaction: tx });
        if (!user) throw new BillingError('USER_NOT_FOUND', `user ${req.userId} not found`, { userId: req.userId });
        const move = {
          userId: req.userId,
          currency,
          kind: 'adjustment' as const,
          amountMinor: req.amountMinor,
          reference: `adjust:${req.idempotencyKey}`,
          reason,
          actor: req.actor,
        };
        const done = await moveBalance(ctx, move, tx);
        if (done.outcome === 'empty') throw new Error('unreachable: no clamp');
        const changed = done.outcome === 'applied';
        await req.inTransaction?.(tx, done.entry, changed);
        if (changed) ctx.logger.info({ userId: req.userId, amountMinor: req.amountMinor, actor: req.actor }, 'balance adjusted');
        return { entry: done.entry, changed, balanceMinor: done.balanceMinor };
      });
    },
  };
}

export type BalanceService = ReturnType<typeof createBalanceService>;
