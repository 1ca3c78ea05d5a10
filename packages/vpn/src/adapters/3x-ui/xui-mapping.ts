import { randomBytes, randomUUID } from 'node:crypto';
import type { PanelUser, PanelUserSpec, PanelUserStatus } from '../../adapter.js';
import { buildVlessLink } from '../../links/share-links.js';
import type { XuiClient, XuiClientView, XuiInbound } from './xui.types.js';

export interface XuiViewOptions {
  /** `{subURI or scheme://domain:subPort + subPath}` — the subId is appended (§6). */
  subscriptionBaseUrl: string;
  /** Public address customers connect to (share links). */
  publicHost: string;
  now?: () => number;
}

/** A random 16-char subId, the 3x-ui UI default (§6). */
export const newSubId = (): string => randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16).toLowerCase();

/** The full client object 3x-ui must receive (update replaces it whole: §4.4). */
export function clientFor(spec: PanelUserSpec, flow: string, current?: XuiClient): XuiClient {
  return {
    ...current,
    id: current?.id ?? randomUUID(),
    flow: current?.flow ?? flow,
    email: spec.key,
    limitIp: spec.deviceLimit ?? 0,
    totalGB: spec.trafficLimitBytes ?? 0,
    expiryTime: spec.expiresAt?.getTime() ?? 0,
    enable: spec.enabled,
    // tgId is a number (§4.1): a string is refused.
    tgId: typeof current?.tgId === 'number' ? current.tgId : 0,
    subId: current?.subId || newSubId(),
    comment: spec.note ?? current?.comment ?? '',
    reset: 0,
  };
}

/** Whether an update would change anything the spec governs. */
export function differs(a: XuiClient, b: XuiClient): boolean {
  return (
    a.limitIp !== b.limitIp ||
    a.totalGB !== b.totalGB ||
    a.expiryTime !== b.expiryTime ||
    a.enable !== b.enable ||
    a.comment !== b.comment ||
    a.reset !== b.reset
  );
}

/** 3x-ui has no status enum (§7): derive it from the switch, depletion and expiry. */
export function statusOf(view: XuiClientView, nowMs: number): PanelUserStatus {
  const c = view.client;
  if (!c.enable) return 'disabled';
  if (c.totalGB > 0 && view.up + view.down >= c.totalGB) return 'limited';
  if (c.expiryTime > 0 && c.expiryTime <= nowMs) return 'expired';
  return 'active';
}

interface StreamSettings {
  network?: string;
  security?: string;
  realitySettings?: {
    serverNames?: string[];
    shortIds?: string[];
    settings?: { publicKey?: string; fingerprint?: string; spiderX?: string };
  };
  tlsSettings?: { serverName?: string };
}

/** The vless:// link built from the inbound's streamSettings (§6 "Single links"). */
export function vlessLink(inbound: XuiInbound | null, client: XuiClient, host: string): string[] {
  if (!inbound || inbound.protocol !== 'vless') return [];
  let stream: StreamSettings = {};
  try {
    stream = JSON.parse(inbound.streamSettings || '{}') as StreamSettings;
  } catch {
    return [];
  }
  const reality = stream.realitySettings;
  return [
    buildVlessLink({
      uuid: client.id,
      host,
      port: inbound.port,
      remark: `${inbound.remark}-${client.email}`,
      network: (stream.network ?? 'tcp') as 'tcp',
      flow: client.flow === 'xtls-rprx-vision' ? 'xtls-rprx-vision' : '',
      reality:
        stream.security === 'reality' && reality
          ? {
              publicKey: reality.settings?.publicKey ?? '',
              serverName: reality.serverNames?.[0] ?? '',
              shortId: reality.shortIds?.[0] ?? '',
              fingerprint: reality.settings?.fingerprint,
              spiderX: reality.settings?.spiderX,
            }
          : undefined,
      tlsServerName: stream.security === 'tls' ? stream.tlsSettings?.serverName : undefined,
    }),
  ];
}

export function toPanelUser(view: XuiClientView, options: XuiViewOptions): PanelUser {
  const c = view.client;
  const base = options.subscriptionBaseUrl.endsWith('/') ? options.subscriptionBaseUrl : `${options.subscriptionBaseUrl}/`;
  return {
    key: c.email,
    panelId: c.id,
    enabled: c.enable,
    status: statusOf(view, (options.now ?? Date.now)()),
    // Negative = "starts on first use" (§4.1): no fixed date yet.
    expiresAt: c.expiryTime > 0 ? new Date(c.expiryTime) : null,
    trafficLimitBytes: c.totalGB > 0 ? c.totalGB : null,
    usedTrafficBytes: view.up + view.down,
    deviceLimit: c.limitIp > 0 ? c.limitIp : null,
    onlineAt: view.lastOnline ? new Date(view.lastOnline) : null,
    subscriptionUrl: c.subId ? `${base}${encodeURIComponent(c.subId)}` : null,
    links: vlessLink(view.inbound, c, options.publicHost),
  };
}
