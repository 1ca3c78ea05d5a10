import type { HttpClient, HttpRequest, HttpResponse } from '../../http/http-client.js';
import { statusError } from '../../http/status-error.js';
import type { WgClientView, WgGeneration } from './wg-easy.types.js';

/**
 * What the adapter needs from either API generation. v15 and v14 differ in paths, ids, auth,
 * expiry and update semantics; the ensure/dedupe logic above them is shared.
 */
export interface WgBackend {
  readonly generation: WgGeneration;
  /** Every client, oldest first. */
  all(): Promise<WgClientView[]>;
  /** Clients named exactly `name`, oldest first (names are not unique in wg-easy). */
  find(name: string): Promise<WgClientView[]>;
  /** Creates a client; v14 cannot store `expiresAt` and neither generation returns an id reliably. */
  create(name: string, expiresAt: Date | null): Promise<void>;
  /** Makes the switch and expiry match; v15 rewrites the whole object, v14 toggles only. */
  apply(client: WgClientView, want: { enabled: boolean; expiresAt: Date | null }): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  /** Deleting a missing client is not an error. */
  remove(id: string): Promise<void>;
  /** The `.conf` text the customer imports. */
  configuration(id: string): Promise<string>;
}

/**
 * The panel's message from a v15 h3 error or a v14 one (`error`). A v15 validation error says
 * only "Validation Error" in `statusMessage`; its details are in `message`, so both are shown.
 */
function panelMessage(res: HttpResponse): string {
  try {
    const body = JSON.parse(res.text) as { statusMessage?: string; message?: string; error?: string };
    if (body.statusMessage && body.message && body.message !== body.statusMessage) return `${body.statusMessage}: ${body.message}`;
    return body.statusMessage ?? body.message ?? body.error ?? res.text.slice(0, 200);
  } catch {
    return res.text.slice(0, 200);
  }
}

/** Sends and throws a PanelError for anything but 2xx (`allow` statuses are returned as is). */
export async function send(http: HttpClient, req: HttpRequest, allow: number[] = []): Promise<HttpResponse> {
  const res = await http.request(req);
  if ((res.status >= 200 && res.status < 300) || allow.includes(res.status)) return res;
  throw statusError('wg-easy', `${req.method} ${req.path}`, res.status, panelMessage(res));
}

/** Oldest first: the surviving client when duplicates are cleaned up is the one made first. */
export const oldestFirst = (a: WgClientView, b: WgClientView): number =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id, undefined, { numeric: true });
