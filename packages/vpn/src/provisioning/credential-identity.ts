import type { PanelKind } from '../adapter.js';

/** The parts of a stored or freshly read account that carry its key. */
export interface KeyMaterial {
  panelId: string | null;
  subscriptionUrl: string | null;
  links: readonly string[];
  wireguardConfig?: string | null;
}

/**
 * Panels that sign a new subscription token on every read (marzban.md §7: "username,seconds" +
 * signature), so the URL is no identity at all. PasarGuard is treated the same: when unsure, a
 * resumed reissue revokes once more, which costs a rotation but never leaves the old key working.
 */
const RESIGNED_URL: ReadonlySet<PanelKind> = new Set(['marzban', 'pasarguard']);

/**
 * The credential inside one share link: the UUID or password, never the rendering around it.
 * Marzban picks the REALITY short id and the SNI at random on every render (share.py), so the
 * same key gives a different link each read.
 */
export function linkCredential(link: string): string {
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(link)?.[1]?.toLowerCase() ?? '';
  const rest = link.slice(scheme.length + 3).replace(/#.*$/, '');
  if (scheme === 'vmess') {
    // vmess://base64(JSON): the id is the credential; sni/host inside vary per render.
    try {
      const json = JSON.parse(Buffer.from(rest, 'base64').toString('utf8')) as { id?: unknown };
      if (typeof json.id === 'string') return `vmess:${json.id}`;
    } catch {
      // not the JSON form: fall through to the userinfo
    }
  }
  // userinfo@host:port?query: the query holds the per-render parts (sid, sni, fp).
  const authority = rest.replace(/\?.*$/, '');
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : authority;
  let decoded = userinfo;
  try {
    decoded = decodeURIComponent(userinfo);
  } catch {
    // keep it raw
  }
  return `${scheme}:${decoded}`;
}

/** The WireGuard private key: a reissue replaces it, nothing else in the config identifies the key. */
function wireguardKey(config: string | null | undefined): string | null {
  if (!config) return null;
  return /^\s*PrivateKey\s*=\s*(\S+)/m.exec(config)?.[1] ?? config;
}

/**
 * The identity of an account's key: the panel id, the UUIDs and passwords in its links, the
 * subscription token where the panel keeps one stable, the WireGuard private key. Two reads of
 * one unrevoked account give the same identity on every panel; a revoke changes it.
 */
export function credentialIdentity(kind: PanelKind, key: KeyMaterial): string {
  const secrets = [...new Set(key.links.map(linkCredential))].sort();
  const url = RESIGNED_URL.has(kind) ? null : key.subscriptionUrl;
  return JSON.stringify([key.panelId, secrets, url, wireguardKey(key.wireguardConfig)]);
}
