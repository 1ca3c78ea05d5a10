import type { Balance, BalanceEntry, BalanceEntryKind } from '../models/index.js';
import { queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';

export interface BalanceEntryInput {
  userId: number;
  currency: string;
  kind: BalanceEntryKind;
  /** Signed minor units, not zero. */
  amountMinor: number;
  reference: string;
  paymentId?: string | null;
  reason?: string | null;
  actor?: string;
}

/** What {@link BalancesRepository.apply} did. */
export type BalanceApplyResult =
  | { outcome: 'applied'; entry: BalanceEntry; balanceMinor: number }
  /** An entry with this reference exists: nothing written (a retry). */
  | { outcome: 'duplicate'; entry: BalanceEntry; balanceMinor: number }
  /** The debit would take the balance below zero: nothing written. */
  | { outcome: 'insufficient'; balanceMinor: number };

export function createBalancesRepository({ sequelize }: RepoDeps) {
  /**
   * Creates the customer's balance row in `currency` if missing and locks it (`ON CONFLICT DO
   * UPDATE` takes the row lock in the same statement): every writer of a balance queues here.
   */
  const lock = async (userId: number, currency: string, opts: Required<TxOptions>): Promise<number> => {
    const row = await queryOne<{ amountMinor: number }>(
      sequelize,
      `INSERT INTO balances (user_id, currency) VALUES ($1, $2)
       ON CONFLICT (user_id, currency) DO UPDATE SET updated_at = balances.updated_at
       RETURNING amount_minor`,
      [userId, currency],
      opts,
    );
    return Number(row!.amountMinor);
  };
  const byReference = (reference: string, opts: TxOptions) =>
    queryOne<BalanceEntry>(sequelize, 'SELECT * FROM balance_entries WHERE reference = $1', [reference], opts);

  return {
    lock,
    /**
     * Appends one entry and moves the cached sum by it, in the caller's transaction, under the
     * balance's row lock: a second entry with the same `reference` writes nothing (`duplicate`,
     * checked under the lock, so ten at once write one), and a debit below zero writes nothing
     * (`insufficient`; the table's CHECK would refuse it anyway).
     */
    async apply(input: BalanceEntryInput, opts: Required<TxOptions>): Promise<BalanceApplyResult> {
      const current = await lock(input.userId, input.currency, opts);
      const existing = await byReference(input.reference, opts);
      if (existing) return { outcome: 'duplicate', entry: existing, balanceMinor: current };
      const after = current + input.amountMinor;
      if (after < 0) return { outcome: 'insufficient', balanceMinor: current };
      const entry = await queryOne<BalanceEntry>(
        sequelize,
        `WITH moved AS (
           UPDATE balances SET amount_minor = amount_minor + $5, updated_at = now()
            WHERE user_id = $1 AND currency = $2 RETURNING amount_minor)
         INSERT INTO balance_entries (user_id, currency, kind, amount_minor, balance_after_minor, reference, payment_id, reason, actor)
         SELECT $1, $2, $3, $5, moved.amount_minor, $4, $6, $7, $8 FROM moved
         RETURNING *`,
        [
          input.userId,
          input.currency,
          input.kind,
          input.reference,
          input.amountMinor,
          input.paymentId ?? null,
          input.reason ?? null,
          input.actor ?? 'system',
        ],
        opts,
      );
      return { outcome: 'applied', entry: entry!, balanceMinor: Number(entry!.balanceAfterMinor) };
    },
    /** The customer's balances, one per currency ever used (zero ones included). */
    async listForUser(userId: number, opts: TxOptions = {}): Promise<Balance[]> {
      return queryRows<Balance>(sequelize, 'SELECT * FROM balances WHERE user_id = $1 ORDER BY currency', [userId], opts);
    },
    /** The balance in one currency (0 when there is none yet). */
    async amount(userId: number, currency: string, opts: TxOptions = {}): Promise<number> {
      const row = await queryOne<{ amountMinor: number }>(
        sequelize,
        'SELECT amount_minor FROM balances WHERE user_id = $1 AND currency = $2',
        [userId, currency],
        opts,
      );
      return row ? Number(row.amountMinor) : 0;
    },
    /** Newest first; page with `beforeId`. */
    async listEntries(userId: number, options: { limit?: number; beforeId?: number } = {}, opts: TxOptions = {}): Promise<BalanceEntry[]> {
      return queryRows<BalanceEntry>(
        sequelize,
        `SELECT * FROM balance_entries WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [userId, options.beforeId ?? null, Math.min(options.limit ?? 20, 200)],
        opts,
      );
    },
    /** The entries a payment caused, oldest first. */
    async listByPayment(paymentId: string, opts: TxOptions = {}): Promise<BalanceEntry[]> {
      return queryRows<BalanceEntry>(sequelize, 'SELECT * FROM balance_entries WHERE payment_id = $1 ORDER BY id', [paymentId], opts);
    },
    findByReference: (reference: string, opts: TxOptions = {}) => byReference(reference, opts),
    /** Sum of the entries per balance where it differs from the cached sum (an audit; empty when all agree). */
    async listDrift(opts: TxOptions = {}): Promise<Array<{ userId: number; currency: string; cached: number; entries: number }>> {
      return queryRows(
        sequelize,
        `SELECT b.user_id, b.currency, b.amount_minor AS cached, COALESCE(sum(e.amount_minor), 0)::bigint AS entries
           FROM balances b LEFT JOIN balance_entries e ON e.user_id = b.user_id AND e.currency = b.currency
          GROUP BY b.user_id, b.currency, b.amount_minor
         HAVING b.amount_minor <> COALESCE(sum(e.amount_minor), 0)`,
        [],
        opts,
      );
    },
  };
}

export type BalancesRepository = ReturnType<typeof createBalancesRepository>;
