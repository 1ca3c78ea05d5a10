import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { renderRealityVlessLink } from './reality-render.js';

/** In-memory Marzban state (marzban.md §4–§5), the emulator's single source of truth. */

export type Status = 'active' | 'disabled' | 'limited' | 'expired' | 'on_hold';

export interface InboundInfo {
  tag: string;
  protocol: 'vless' | 'vmess' | 'trojan' | 'shadowsocks';
  network: string;
  tls: string;
  port: number;
}

export interface StoredUser {
  username: string;
  status: Status;
  expire: number | null;
  data_limit: number | null;
  data_limit_reset_strategy: string;
  used_traffic: number;
  lifetime_used_traffic: number;
  created_at: string;
  createdSec: number;
  proxies: Record<string, Record<string, unknown>>;
  /** Protocol → excluded tags; enabled = all of the protocol minus these. */
  excluded: Record<string, string[]>;
  note: string | null;
  on_hold_expire_duration: number | null;
  on_hold_timeout: string | null;
  next_plan: unknown;
  online_at: string | null;
  sub_updated_at: string | null;
  subRevokedSec: number;
  /** Created without `proxies`: GET and list answer 500 until it is deleted (§11.1). */
  broken: boolean;
}

export interface MarzbanStoreOptions {
  version: string;
  inbounds: InboundInfo[];
  /** `XRAY_SUBSCRIPTION_URL_PREFIX`; empty = relative URLs. */
  subscriptionUrlPrefix: string;
  /** Host in share links. */
  linkHost: string;
  now: () => number;
  /** The subscription-token key; a restarted panel keeps its own (it lives in Marzban's database). */
  secret?: string;
}

export const naiveUtc = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace('Z', '')
    .replace(/\.\d+$/, '');
const PROXY_NAMES: Record<string, string> = { vmess: 'VMess', vless: 'VLESS', trojan: 'Trojan', shadowsocks: 'Shadowsocks' };
export const disabledProtocolMessage = (type: string): string =>
  `Protocol ProxyTypes.${PROXY_NAMES[type] ?? type} is disabled on your server`;

export function createMarzbanStore(options: MarzbanStoreOptions) {
  const users = new Map<string, StoredUser>();
  const secret = options.secret ?? randomBytes(16).toString('hex');
  const nowSec = (): number => Math.floor(options.now() / 1000);

  function fillProxy(type: string, settings: Record<string, unknown>): Record<string, unknown> {
    if (type === 'vmess') return { id: settings.id ?? randomUUID() };
    if (type === 'vless') return { id: settings.id ?? randomUUID(), flow: settings.flow ?? '' };
    if (type === 'trojan') return { password: settings.password ?? randomBytes(12).toString('base64url'), flow: settings.flow ?? '' };
    return { password: settings.password ?? randomBytes(12).toString('base64url'), method: settings.method ?? 'chacha20-ietf-poly1305' };
  }

  function enabledInbounds(user: StoredUser): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const type of Object.keys(user.proxies)) {
      const excluded = user.excluded[type] ?? [];
      out[type] = options.inbounds.filter((i) => i.protocol === type && !excluded.includes(i.tag)).map((i) => i.tag);
    }
    return out;
  }

  function links(user: StoredUser): string[] {
    const out: string[] = [];
    for (const [type, tags] of Object.entries(enabledInbounds(user))) {
      for (const tag of tags) {
        const inbound = options.inbounds.find((i) => i.tag === tag);
        if (!inbound || type !== 'vless') continue;
        // A fresh short id and SNI on every render, as share.py picks them (reality-render.ts).
        out.push(
          renderRealityVlessLink({
            uuid: String(user.proxies.vless?.id),
            flow: user.proxies.vless?.flow === 'xtls-rprx-vision' ? 'xtls-rprx-vision' : '',
            host: options.linkHost,
            port: inbound.port,
            remark: `${tag} (${user.username})`,
          }),
        );
      }
    }
    return out;
  }

  /** §7: base64url("username,ts") + 10 chars of base64url(sha256(b64 + secret)). */
  function subscriptionToken(username: string): string {
    const b64 = Buffer.from(`${username},${nowSec()}`).toString('base64url');
    return (
      b64 +
      createHash('sha256')
        .update(b64 + secret)
        .digest('base64url')
        .slice(0, 10)
    );
  }

  /** The user a token belongs to, or null when forged, revoked or older than the user. */
  function userForToken(token: string): StoredUser | null {
    if (token.length < 11) return null;
    const b64 = token.slice(0, -10);
    const sig = createHash('sha256')
      .update(b64 + secret)
      .digest('base64url')
      .slice(0, 10);
    if (sig !== token.slice(-10)) return null;
    const [username, ts] = Buffer.from(b64, 'base64url').toString('utf8').split(',');
    const user = users.get((username ?? '').toLowerCase());
    const issued = Number(ts);
    if (!user || !(issued >= user.subRevokedSec) || issued < user.createdSec) return null;
    return user;
  }

  function response(user: StoredUser): Record<string, unknown> {
    const prefix = options.subscriptionUrlPrefix.replace(/\*/g, () => randomBytes(8).toString('hex'));
    const body: Record<string, unknown> = {
      username: user.username,
      status: user.status,
      expire: user.expire,
      data_limit: user.data_limit,
      data_limit_reset_strategy: user.data_limit_reset_strategy,
      used_traffic: user.used_traffic,
      lifetime_used_traffic: user.lifetime_used_traffic,
      created_at: user.created_at,
      proxies: user.proxies,
      inbounds: enabledInbounds(user),
      excluded_inbounds: user.excluded,
      links: links(user),
      subscription_url: `${prefix}/sub/${subscriptionToken(user.username)}`,
      note: user.note,
      on_hold_expire_duration: user.on_hold_expire_duration,
      on_hold_timeout: user.on_hold_timeout,
      online_at: user.online_at,
      sub_updated_at: user.sub_updated_at,
      sub_last_user_agent: null,
      auto_delete_in_days: null,
      admin: null,
    };
    // next_plan arrived in 0.8 (§10).
    if (!options.version.startsWith('0.7')) body.next_plan = user.next_plan;
    return body;
  }

  /** §5.4: the review job's transitions, run on demand for deterministic tests. */
  function review(): void {
    const now = nowSec();
    for (const user of users.values()) {
      if (user.status !== 'active') continue;
      if (user.data_limit && user.used_traffic >= user.data_limit) user.status = 'limited';
      else if (user.expire && user.expire <= now) user.status = 'expired';
    }
  }

  return { users, secret, options, nowSec, fillProxy, enabledInbounds, response, userForToken, links, review };
}

export type MarzbanStore = ReturnType<typeof createMarzbanStore>;
