import { describe, expect, it } from 'vitest';
import { BillingError, isBillingError, promoErrorCode } from './errors.js';

describe('BillingError', () => {
  it('carries a stable code and details', () => {
    const e = new BillingError('AMOUNT_MISMATCH', 'paid 100, expected 200', { paymentId: 'p' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BillingError');
    expect(e.code).toBe('AMOUNT_MISMATCH');
    expect(e.details).toEqual({ paymentId: 'p' });
    expect(isBillingError(e)).toBe(true);
    expect(isBillingError(e, 'AMOUNT_MISMATCH', 'CURRENCY_MISMATCH')).toBe(true);
    expect(isBillingError(e, 'PLAN_INACTIVE')).toBe(false);
    expect(isBillingError(new Error('x'))).toBe(false);
  });

  it('maps promo refusals to PROMO_* codes', () => {
    expect(promoErrorCode('used_up')).toBe('PROMO_USED_UP');
    expect(promoErrorCode('not_for_plan')).toBe('PROMO_NOT_FOR_PLAN');
  });
});
