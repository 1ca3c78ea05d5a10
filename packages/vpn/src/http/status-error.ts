import { PanelError, type PanelErrorCode, type PanelKind } from '../adapter.js';

/** The PanelError code for a non-2xx HTTP status (5xx never gets here: the client throws it). */
export function codeForStatus(status: number): PanelErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status >= 400 && status < 500) return 'rejected';
  return 'bad_response';
}

/** Builds the PanelError for a panel's refusal, keeping the panel's own message. */
export function statusError(panel: PanelKind, where: string, status: number, message: string): PanelError {
  return new PanelError(codeForStatus(status), `${panel}: ${where} answered ${status}: ${message}`, { status, panel });
}
