import { PanelError } from '../../adapter.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/http-client.js';
import { createMarzbanSession, sessionFrom, type MarzbanSession } from '../marzban/marzban-session.js';

/** Either an API key (`X-Api-Key`, no login) or the admin's OAuth2 password form, as on Marzban. */
export type PasarGuardAuth = { apiKey: string } | { username: string; password: string };

/**
 * PasarGuard sessions (pasarguard.md "Auth"): with an API key every call carries `X-Api-Key` and
 * a 401 is final (there is no login to renew); with a password it is Marzban's Bearer session
 * (login, one re-login on 401).
 */
export function createPasarGuardSession(http: HttpClient, auth: PasarGuardAuth): MarzbanSession {
  if (!('apiKey' in auth)) return createMarzbanSession(http, auth, 'pasarguard');
  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    const res = await http.request({ ...req, headers: { ...req.headers, 'x-api-key': auth.apiKey } });
    if (res.status === 401)
      throw new PanelError('auth', `pasarguard: ${req.method} ${req.path} refused the API key (401)`, { status: 401, panel: 'pasarguard' });
    return res;
  };
  return sessionFrom('pasarguard', send, () => undefined);
}
