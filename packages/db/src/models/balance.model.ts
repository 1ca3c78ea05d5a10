/**
 * Customer balances: money kept with us per customer and currency. There is no Sequelize model:
 * the ledger is written by hand-made SQL in `balances.repository.ts` (lock, check, append, update
 * the cached sum), where every statement's locking is visible.
 */
export type BalanceEntryKind = 'top_up' | 'purchase' | 'refund' | 'referral_commission' | 'referral_clawback' | 'adjustment';
export const BALANCE_ENTRY_KINDS: readonly BalanceEntryKind[] = [
  'top_up',
  'purchase',
  'refund',
  'referral_commission',
  'referral_clawback',
  'adjustment',
];

/** The cached sum of one customer's entries in one currency. */
export interface Balance {
  userId: number;
  currency: string;
  /** Minor units, never below zero (a CHECK in the database). */
  amountMinor: number;
  updatedAt: Date;
}

/** One movement of a balance; never updated or deleted. */
export interface BalanceEntry {
  id: number;
  userId: number;
  currency: string;
  kind: BalanceEntryKind;
  /** Signed: credits positive, debits negative, never zero. */
  amountMinor: number;
  /** The balance right after this entry. */
  balanceAfterMinor: number;
  /** The entry's idempotency key (`top_up:<payment id>`, `adjust:<key>`): unique. */
  reference: string;
  paymentId: string | null;
  /** Why (an admin adjustment's reason, a refund's reason). */
  reason: string | null;
  /** Who: `system`, `payment:<id>`, `admin:<telegram id>`. */
  actor: string;
  createdAt: Date;
}
