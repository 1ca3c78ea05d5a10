import { PaymentError } from './provider.js';

/** A payment id no provider has issued (a nil-like v4 uuid): reading it can only be "not found". */
export const UNKNOWN_PAYMENT_ID = '00000000-0000-4000-8000-000000000000';

/**
 * A credentials check for providers without an account call: read a payment that cannot exist.
 * Each of them authenticates before the lookup (YooKassa, Platega, Heleket answer 401 for bad
 * keys, 404 for an unknown id; WATA 401, then empty searches), so "not found" means the keys were
 * accepted, and a refusal comes back as the PaymentError it is. Nothing is created.
 */
export async function readUnknownPayment(read: (id: string) => Promise<unknown>): Promise<string> {
  try {
    await read(UNKNOWN_PAYMENT_ID);
  } catch (error) {
    if (error instanceof PaymentError && error.code === 'not_found') return 'keys accepted (a read of an unknown payment: not found)';
    throw error;
  }
  return 'keys accepted';
}
