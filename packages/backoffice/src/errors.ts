/**
 * Stable codes a back-office action refuses with. Entry points branch on `code` (and `field`)
 * and map them to a message in the admin's language; `message` is for logs.
 */
export type BackofficeErrorCode =
  /** The actor's role lacks the permission (`details.permission`). */
  | 'FORBIDDEN'
  /** Input out of range or malformed; `field` names it, `details` gives the allowed range. */
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  /** The state does not allow it (nothing running to shorten, payment not paid, ...). */
  | 'NOT_ALLOWED'
  /** The payment's provider has no such refund (Crypto Pay: none; Stars: no partial refund). */
  | 'PROVIDER_CANNOT'
  /** The provider refused or failed; `details.providerCode` when it said why. */
  | 'PROVIDER_FAILED'
  /** A panel refused or could not be reached (connection test, drift report). */
  | 'PANEL_FAILED'
  /** A row with the same name or code exists. */
  | 'DUPLICATE';

export class BackofficeError extends Error {
  constructor(
    readonly code: BackofficeErrorCode,
    message: string,
    readonly field?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BackofficeError';
  }
}

export function isBackofficeError(error: unknown, ...codes: BackofficeErrorCode[]): error is BackofficeError {
  return error instanceof BackofficeError && (codes.length === 0 || codes.includes(error.code));
}
