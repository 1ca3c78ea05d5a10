import type { XuiClient, XuiClientTraffic } from '../../adapters/3x-ui/xui.types.js';

/** In-memory 3x-ui state (3x-ui.md §4): inbounds hold clients; counters live apart, by email. */

export interface StoredInbound {
  id: number;
  remark: string;
  enable: boolean;
  port: number;
  protocol: string;
  clients: XuiClient[];
  streamSettings: string;
}

/** Behaviour switches by panel version (3x-ui.md §3, §4.4, §5, §8). */
export function xuiFeatures(version: string) {
  const [a = 0, b = 0, c = 0] = version.replace(/^v/, '').split('.').map(Number);
  const n = a * 10_000 + b * 100 + c;
  return {
    /** `/panel/api/*` exists at all (older builds are modelled as "absent"). */
    modern: n >= 2_00_00,
    statusGet: n >= 2_07_00,
    lastOnline: n >= 2_07_00,
    delByEmail: n >= 2_08_00,
    /** 2.8.5–3.0.x hide endpoints from unauthenticated callers with an empty 404. */
    hidden: n >= 2_08_05 && n < 3_01_00,
    unknownEmailIsNull: n < 2_08_05,
    csrf: n >= 3_00_00,
    bearer: n >= 3_00_00,
    clientsApi: n >= 3_01_00,
  };
}
export type XuiFeatures = ReturnType<typeof xuiFeatures>;

/** A failed operation: 3x-ui answers HTTP 200 with success:false and this Go error text. */
export class XuiFailure extends Error {}

export function createXuiStore(inbounds: StoredInbound[]) {
  const byId = new Map(inbounds.map((i) => [i.id, i]));
  const stats = new Map<string, XuiClientTraffic>();
  let statId = 0;
  const lower = (email: string): string => email.toLowerCase();

  function addStats(inboundId: number, client: XuiClient): void {
    stats.set(lower(client.email), {
      id: ++statId,
      inboundId,
      enable: client.enable,
      email: client.email,
      up: 0,
      down: 0,
      expiryTime: client.expiryTime,
      total: client.totalGB,
      reset: client.reset,
      lastOnline: 0,
    });
  }

  function inbound(id: number): StoredInbound {
    const found = byId.get(id);
    if (!found) throw new XuiFailure('record not found');
    return found;
  }

  function locate(email: string): { inbound: StoredInbound; index: number } | null {
    for (const i of byId.values()) {
      const index = i.clients.findIndex((c) => lower(c.email) === lower(email));
      if (index >= 0) return { inbound: i, index };
    }
    return null;
  }

  function credentialOf(i: StoredInbound, c: XuiClient): string {
    if (i.protocol === 'trojan') return String((c as unknown as { password?: string }).password ?? '');
    if (i.protocol === 'shadowsocks') return c.email;
    return c.id;
  }

  function checkNew(i: StoredInbound, clients: XuiClient[], ignoreEmail?: string): void {
    const seen = new Set<string>();
    for (const c of clients) {
      const email = lower(c.email ?? '');
      if (seen.has(email) || (email !== lower(ignoreEmail ?? '') && locate(c.email) !== null))
        throw new XuiFailure(`Duplicate email: ${c.email}`);
      seen.add(email);
      if (!credentialOf(i, c)) throw new XuiFailure('empty client ID');
    }
  }

  return {
    byId,
    stats,
    inbound,
    locate,
    /** §4.4 addClient: global case-insensitive email uniqueness, credential required, stats row created. */
    addClients(inboundId: number, clients: XuiClient[], now: number): void {
      const i = inbound(inboundId);
      checkNew(i, clients);
      for (const c of clients) {
        i.clients.push({ ...c, created_at: now, updated_at: now });
        addStats(i.id, c);
      }
    },
    /** §4.4 updateClient: whole-object replace by clientId; stats follow; usage kept. */
    updateClient(inboundId: number, clientId: string, next: XuiClient, now: number): void {
      const i = inbound(inboundId);
      const index = i.clients.findIndex((c) => credentialOf(i, c) === clientId);
      const old = i.clients[index];
      if (!old) throw new XuiFailure('empty client ID');
      checkNew(i, [next], old.email);
      i.clients[index] = { ...next, created_at: old.created_at, updated_at: now };
      const row = stats.get(lower(old.email));
      stats.delete(lower(old.email));
      if (row)
        stats.set(lower(next.email), {
          ...row,
          enable: next.enable,
          email: next.email,
          total: next.totalGB,
          expiryTime: next.expiryTime,
          reset: next.reset,
        });
    },
    /** §2: the last client of an inbound cannot be deleted in v2. */
    deleteClient(inboundId: number, match: (c: XuiClient) => boolean): void {
      const i = inbound(inboundId);
      const index = i.clients.findIndex(match);
      const victim = i.clients[index];
      if (!victim) throw new XuiFailure('Client Not Found In Inbound For Email: ');
      if (i.clients.length === 1) throw new XuiFailure('no client remained in Inbound');
      i.clients.splice(index, 1);
      stats.delete(lower(victim.email));
    },
    resetTraffic(email: string): void {
      const row = stats.get(lower(email));
      if (!row) throw new XuiFailure(`Inbound Not Found For Email: ${email}`);
      row.up = 0;
      row.down = 0;
      row.enable = true;
    },
    credentialOf,
    /** The ~10 s job (§7): depleted/expired clients are marked in stats; `reset` auto-renews. */
    tick(now: number): void {
      for (const i of byId.values()) {
        for (const c of i.clients) {
          const row = stats.get(lower(c.email));
          if (!row) continue;
          const depleted = c.totalGB > 0 && row.up + row.down >= c.totalGB;
          const expired = c.expiryTime > 0 && c.expiryTime <= now;
          if (expired && c.reset > 0) {
            while (c.expiryTime <= now) c.expiryTime += c.reset * 86_400_000;
            row.up = 0;
            row.down = 0;
            row.expiryTime = c.expiryTime;
            row.enable = true;
          } else if (depleted || expired) row.enable = false;
        }
      }
    },
  };
}

export type XuiStore = ReturnType<typeof createXuiStore>;
