import { describe, expect, it } from 'vitest';
import { PAYMENT_STATUSES, canTransition, decideSettlement, isSettled, type PaymentStatus } from './ledger-machine.js';

const legal = new Set(['pending>succeeded', 'pending>failed', 'pending>cancelled', 'succeeded>refunded']);
const late = new Set(['failed>succeeded', 'cancelled>succeeded']);

describe('payment ledger state machine', () => {
  for (const from of PAYMENT_STATUSES) {
    for (const to of PAYMENT_STATUSES) {
      const ok = legal.has(`${from}>${to}`);
      it(`${from} → ${to} is ${ok ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(ok);
      });
      const okLate = ok || late.has(`${from}>${to}`);
      it(`${from} → ${to} as a late success is ${okLate ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to, { lateSuccess: true })).toBe(okLate);
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
      ['pending', 'wait'],
      ['succeeded', 'succeed'],
      ['failed', 'fail'],
      ['cancelled', 'cancel'],
      ['refunded', 'cancel'],
    ];
    for (const [reported, action] of table) expect(decideSettlement('pending', reported).action).toBe(action);
  });

  it('refunds a succeeded payment only on a refunded report', () => {
    expect(decideSettlement('succeeded', 'refunded')).toEqual({ action: 'refund' });
    expect(decideSettlement('succeeded', 'succeeded')).toEqual({ action: 'noop', conflict: false });
    expect(decideSettlement('succeeded', 'failed')).toEqual({ action: 'noop', conflict: false });
  });

  it('honours money the provider confirms for a payment we closed: a late success', () => {
    expect(decideSettlement('failed', 'succeeded')).toEqual({ action: 'late_success', from: 'failed' });
    expect(decideSettlement('cancelled', 'succeeded', 'cancelled_by_customer')).toEqual({ action: 'late_success', from: 'cancelled' });
    expect(decideSettlement('failed', 'succeeded', 'InsufficientFunds')).toEqual({ action: 'late_success', from: 'failed' });
  });

  it('leaves a payment failed over the provider contradicting our amount or currency to a human', () => {
    expect(decideSettlement('failed', 'succeeded', 'amount_mismatch')).toEqual({ action: 'noop', conflict: true });
    expect(decideSettlement('failed', 'succeeded', 'currency_mismatch')).toEqual({ action: 'noop', conflict: true });
  });

  it('never moves anything else backwards', () => {
    expect(decideSettlement('refunded', 'succeeded')).toEqual({ action: 'noop', conflict: false });
    expect(decideSettlement('failed', 'pending')).toEqual({ action: 'noop', conflict: false });
    expect(decideSettlement('cancelled', 'failed')).toEqual({ action: 'noop', conflict: false });
    expect(decideSettlement('failed', 'refunded')).toEqual({ action: 'noop', conflict: false });
  });
});
