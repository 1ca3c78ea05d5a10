/**
 * wg-easy wire types (specs/wireguard-wg-easy.md §4, §7) and the version rule. Only the fields
 * the adapter reads are typed.
 */

/** `GET /api/client` entry (v15). */
export interface WgV15ListClient {
  id: number;
  name: string;
  enabled: boolean;
  expiresAt: string | null;
  createdAt: string;
  latestHandshakeAt: string | null;
  transferRx: number | null;
  transferTx: number | null;
  oneTimeLink: { oneTimeLink: string; expiresAt: string } | null;
}

/** `GET /api/client/{id}` (v15): every stored field, keys included. */
export type WgV15Client = Record<string, unknown> & { id: number; name: string; enabled: boolean; expiresAt: string | null };

/**
 * The keys `POST /api/client/{id}` requires (§5.1); the version decides which exist, so the
 * adapter sends back those of them the GET returned.
 */
export const V15_UPDATE_KEYS = [
  'name',
  'enabled',
  'expiresAt',
  'ipv4Address',
  'ipv6Address',
  'preUp',
  'postUp',
  'preDown',
  'postDown',
  'allowedIps',
  'serverAllowedIps',
  'firewallIps',
  'mtu',
  'jC',
  'jMin',
  'jMax',
  'i1',
  'i2',
  'i3',
  'i4',
  'i5',
  'persistentKeepalive',
  'serverEndpoint',
  'dns',
] as const;

/** `GET /api/wireguard/client` entry (v14): uuid id, no expiry. */
export interface WgV14Client {
  id: string;
  name: string;
  enabled: boolean;
  createdAt: string;
  latestHandshakeAt: string | null;
  transferRx: number | null;
  transferTx: number | null;
}

/** One client as the adapter works with it, whatever the generation. */
export interface WgClientView {
  id: string;
  name: string;
  enabled: boolean;
  /** null: never, or a v14 panel (no expiry there). */
  expiresAt: string | null;
  createdAt: string;
  latestHandshakeAt: string | null;
  transferRx: number;
  transferTx: number;
}

export type WgGeneration = 14 | 15;

export const SUPPORTED_WG_EASY = '15.x (and the legacy 14.x API)';

/** 15 for any 15.x, 14 for the legacy API, null otherwise. */
export function wgEasyGeneration(version: string): WgGeneration | null {
  const major = Number.parseInt(version.replace(/^v/, ''), 10);
  return major === 15 ? 15 : major === 14 ? 14 : null;
}
