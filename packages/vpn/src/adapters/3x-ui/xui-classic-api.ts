import { PanelError } from '../../adapter.js';
import type { XuiSession } from './xui-session.js';
import type { XuiClient, XuiClientTraffic, XuiClientView, XuiInbound } from './xui.types.js';

/** Client operations of one 3x-ui API generation. */
export interface XuiClientApi {
  readonly generation: 'classic' | 'clients';
  find(email: string): Promise<XuiClientView | null>;
  add(inboundId: number, client: XuiClient): Promise<void>;
  /** Full-object replace; `current` says where the client is and what its uuid was. */
  update(current: XuiClientView, next: XuiClient): Promise<void>;
  remove(current: XuiClientView): Promise<void>;
  resetTraffic(current: XuiClientView): Promise<void>;
  listAll(): Promise<XuiClientView[]>;
}

const BASE = 'panel/api/inbounds';
const enc = encodeURIComponent;

/** `settings` is a string containing JSON (§4.2). */
export function clientsOf(inbound: XuiInbound): XuiClient[] {
  try {
    const settings = JSON.parse(inbound.settings) as { clients?: XuiClient[] };
    return settings.clients ?? [];
  } catch {
    throw new PanelError('bad_response', `3x-ui: inbound ${inbound.id} has unreadable settings JSON`, { panel: '3x-ui' });
  }
}

export function viewsOf(inbound: XuiInbound): XuiClientView[] {
  const stats = new Map((inbound.clientStats ?? []).map((s) => [s.email.toLowerCase(), s]));
  return clientsOf(inbound).map((client) => {
    const s = stats.get(client.email.toLowerCase());
    return { client, inboundIds: [inbound.id], inbound, up: s?.up ?? 0, down: s?.down ?? 0, lastOnline: s?.lastOnline || null };
  });
}

/** Classic API, v2.x … v3.0.x (§4): clients live inside an inbound's settings JSON. */
export function createClassicApi(session: XuiSession): XuiClientApi {
  const settingsBody = (inboundId: number, client: XuiClient): unknown => ({
    id: inboundId,
    settings: JSON.stringify({ clients: [client] }),
  });

  return {
    generation: 'classic',
    async find(email) {
      let traffic: XuiClientTraffic | null;
      try {
        // ≤2.8.4 answers obj:null for an unknown email; 2.8.5+ answers success:false (§4.4).
        traffic = await session.api<XuiClientTraffic | null>({ method: 'GET', path: `${BASE}/getClientTraffics/${enc(email)}` });
      } catch (error) {
        if (error instanceof PanelError && error.code === 'not_found' && error.details.status === undefined) return null;
        throw error;
      }
      if (!traffic) return null;
      const inbound = await session.api<XuiInbound>({ method: 'GET', path: `${BASE}/get/${traffic.inboundId}` });
      const found = viewsOf(inbound).find((v) => v.client.email.toLowerCase() === email.toLowerCase());
      // `inbounds/get` answers clientStats: null (GetInbound preloads no traffic rows): usage and
      // last online come from the traffic row read above, where the panel keeps them.
      return found ? { ...found, up: traffic.up, down: traffic.down, lastOnline: traffic.lastOnline || null } : null;
    },
    async add(inboundId, client) {
      await session.api({ method: 'POST', path: `${BASE}/addClient`, json: settingsBody(inboundId, client) });
    },
    async update(current, next) {
      const inboundId = current.inboundIds[0] ?? 0;
      await session.api({ method: 'POST', path: `${BASE}/updateClient/${enc(current.client.id)}`, json: settingsBody(inboundId, next) });
    },
    async remove(current) {
      await session.api({ method: 'POST', path: `${BASE}/${current.inboundIds[0] ?? 0}/delClient/${enc(current.client.id)}` });
    },
    async resetTraffic(current) {
      await session.api({ method: 'POST', path: `${BASE}/${current.inboundIds[0] ?? 0}/resetClientTraffic/${enc(current.client.email)}` });
    },
    async listAll() {
      const inbounds = await session.api<XuiInbound[]>({ method: 'GET', path: `${BASE}/list` });
      return inbounds.flatMap(viewsOf);
    },
  };
}
