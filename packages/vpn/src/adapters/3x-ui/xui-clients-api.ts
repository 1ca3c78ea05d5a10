import { PanelError } from '../../adapter.js';
import { viewsOf, type XuiClientApi } from './xui-classic-api.js';
import type { XuiSession } from './xui-session.js';
import type { XuiClient, XuiClientRecord, XuiClientView, XuiInbound } from './xui.types.js';

const BASE = 'panel/api/clients';
const enc = encodeURIComponent;

const toRecord = (c: XuiClient): XuiClientRecord => ({
  email: c.email,
  subId: c.subId,
  uuid: c.id,
  flow: c.flow,
  limitIp: c.limitIp,
  totalGB: c.totalGB,
  expiryTime: c.expiryTime,
  enable: c.enable,
  tgId: Number(c.tgId) || 0,
  comment: c.comment,
  reset: c.reset,
});

const fromRecord = (r: XuiClientRecord): XuiClient => ({
  id: r.uuid,
  flow: r.flow,
  email: r.email,
  limitIp: r.limitIp,
  totalGB: r.totalGB,
  expiryTime: r.expiryTime,
  enable: r.enable,
  tgId: r.tgId,
  subId: r.subId,
  comment: r.comment,
  reset: r.reset,
});

/**
 * v3.1+ client API (§8): clients are first-class records attached to inbounds; the classic
 * `addClient/updateClient/delClient` routes are gone. Needs a Bearer token (admin scope).
 */
export function createClientsApi(session: XuiSession): XuiClientApi {
  async function inbound(id: number | undefined): Promise<XuiInbound | null> {
    if (id === undefined) return null;
    return session.api<XuiInbound>({ method: 'GET', path: `panel/api/inbounds/get/${id}` });
  }

  return {
    generation: 'clients',
    async find(email) {
      let found: { client: XuiClientRecord; inboundIds: number[]; usedTraffic: number };
      try {
        found = await session.api({ method: 'GET', path: `${BASE}/get/${enc(email)}` });
      } catch (error) {
        if (error instanceof PanelError && error.code === 'not_found' && error.details.status === undefined) return null;
        throw error;
      }
      const first = await inbound(found.inboundIds[0]);
      const stats = first?.clientStats?.find((s) => s.email.toLowerCase() === email.toLowerCase());
      return {
        client: fromRecord(found.client),
        inboundIds: found.inboundIds,
        inbound: first,
        up: stats?.up ?? 0,
        down: stats ? stats.down : found.usedTraffic,
        lastOnline: stats?.lastOnline || null,
      };
    },
    async add(inboundId, client) {
      await session.api({ method: 'POST', path: `${BASE}/add`, json: { client: toRecord(client), inboundIds: [inboundId] } });
    },
    async update(current, next) {
      await session.api({ method: 'POST', path: `${BASE}/update/${enc(current.client.email)}`, json: toRecord(next) });
    },
    async remove(current) {
      await session.api({ method: 'POST', path: `${BASE}/del/${enc(current.client.email)}` });
    },
    async resetTraffic(current) {
      await session.api({ method: 'POST', path: `${BASE}/resetTraffic/${enc(current.client.email)}` });
    },
    async listAll(): Promise<XuiClientView[]> {
      const records = await session.api<XuiClientRecord[]>({ method: 'GET', path: `${BASE}/list` });
      const inbounds = await session.api<XuiInbound[]>({ method: 'GET', path: 'panel/api/inbounds/list' });
      const byEmail = new Map(inbounds.flatMap(viewsOf).map((v) => [v.client.email.toLowerCase(), v]));
      return records.map((r) => {
        const seen = byEmail.get(r.email.toLowerCase());
        return {
          client: fromRecord(r),
          inboundIds: seen?.inboundIds ?? [],
          inbound: seen?.inbound ?? null,
          up: seen?.up ?? 0,
          down: seen?.down ?? 0,
          lastOnline: seen?.lastOnline ?? null,
        };
      });
    },
  };
}
