import { isBillingError, type Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { PaymentProviders } from '@vpn/payments';
import type { ServerPool } from '@vpn/vpn';
import { BackofficeError } from './errors.js';

/** What `createBackoffice` needs; built once per process by its composition root. */
export interface BackofficeDeps {
  db: Pick<Database, 'repos' | 'transaction'>;
  billing: Billing;
  /** The enabled payment providers: refunds go through them. Without it only refunds made outside a provider are recorded. */
  payments?: PaymentProviders;
  /** The panels (connection tests, drift reports); without it server actions that need a panel are refused. */
  pool?: ServerPool;
  logger: Logger;
  clock?: () => Date;
}

/** Shared by every action; internal to the package. */
export interface BackofficeContext extends Omit<BackofficeDeps, 'clock'> {
  now(): Date;
}

export function createContext(deps: BackofficeDeps): BackofficeContext {
  return { ...deps, now: deps.clock ?? (() => new Date()) };
}

/**
 * Runs a billing call and turns its refusals into back-office ones (same meaning, the entry
 * points know one error type); anything else (database down) passes through.
 */
export async function viaBilling<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isBillingError(error)) throw error;
    const code = error.code.endsWith('_NOT_FOUND') ? 'NOT_FOUND' : error.code === 'INVALID_INPUT' ? 'INVALID_INPUT' : 'NOT_ALLOWED';
    throw new BackofficeError(code, error.message, undefined, { billingCode: error.code, ...error.details });
  }
}
