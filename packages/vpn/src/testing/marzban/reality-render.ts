import { randomInt } from 'node:crypto';
import { buildVlessLink } from '../../links/share-links.js';

/**
 * How Marzban 0.8.4 and PasarGuard render a REALITY share link (`app/subscription/share.py`):
 * every render picks the short id and the SNI at random among the inbound's `shortIds` and
 * `serverNames`. Two reads of one unchanged user therefore give different links; only the
 * credential in them (the UUID) is the user's identity.
 */
export interface RealityInboundKeys {
  publicKey: string;
  serverNames: string[];
  shortIds: string[];
}

/** Several of each, as a real REALITY inbound is configured; two renders rarely agree. */
export const DEFAULT_REALITY_KEYS: RealityInboundKeys = {
  publicKey: 'emulatorPublicKey',
  serverNames: ['www.example.com', 'cdn.example.com', 'static.example.net', 'assets.example.org'],
  shortIds: ['abcd', '0123456789abcdef', '7f', 'c0ffee', 'deadbeef', '5a5a5a5a', '1d2e', 'b00b1e5'],
};

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;

export function renderRealityVlessLink(input: {
  uuid: string;
  flow: string;
  host: string;
  port: number;
  remark: string;
  keys?: RealityInboundKeys;
}): string {
  const keys = input.keys ?? DEFAULT_REALITY_KEYS;
  return buildVlessLink({
    uuid: input.uuid,
    host: input.host,
    port: input.port,
    remark: input.remark,
    flow: input.flow === 'xtls-rprx-vision' ? 'xtls-rprx-vision' : '',
    reality: { publicKey: keys.publicKey, serverName: pick(keys.serverNames), shortId: pick(keys.shortIds) },
  });
}
