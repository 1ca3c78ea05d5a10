import { describe, expect, it } from 'vitest';
import { PAYMENT_STATUSES, canTransition, decideSettlement, isSettled, type PaymentStatus } from './ledger-machine.js';

const legal = new Set(['pending>succeeded', 'pending>failed', 'pending>cancelled', 'succeeded>refunded']);

describe('payment ledger state machine', () => {
  for (const from of PAYMENT_STATUSES) {
    for (const to of PAYMENT_STATUSES) {
      const ok = legal.has(`${from}>${to}`);
      it(`${from} → ${to} is ${ok ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(ok);
      });
    }
  }

  it('only pending is unsettled', () => {
    expect(PAYMENT_STATUSES.filter((s) => !isSettled(s))).toEqual(['pending']);
  });
});

describe('decideSettlement', () => {
  it('maps provider reports on a pending payment', () => {
    const table: Array<[PaymentStatus, string]> = [
      ['pending', 'wait'], ['succeeded', 'succeed'], ['failed', 'fail'], ['cancelled', 'cancel'], ['refunded', 'cancel'],
    ];
    for (const [reported, action] of table) expect(decideSettlement('pending', reported).action).toBe(action);
  });

  it('refunds a succeeded payment only on a refunded report', () => {
    expect(decideSettlement('succeeded', 'refunded')).toEqual({ action: 'refund' });
    expect(decideSettlement('succeeded', 'succeeded')).toEqual({ action: 'noop', conflict: false });
    expect(decideSettlement('succeeded', 'failed')).toEqual({ action: 'noop', conflict: false });
  });

  it('never moves a final payment back, and flags money the provider says it took', () => {
    expect(decideSettlement('failed', 'succeeded')).toEqual({ action: 'noop', conflict: true });
    expect(decideSettlement('cancelled', 'succeeded')).toEqual({ action: 'noop', conflict: true });
    expect(decideSettlement('refunded', 'succeeded')).toEqual({ action: 'noop', conflict: false });
    expect(decideSettlement('failed', 'pending')).toEqual({ action: 'noop', conflict: false });
  });
});
