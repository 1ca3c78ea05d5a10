/** Wire shapes of 3x-ui (3x-ui.md §2, §4, §8). Only the fields we read or send. */

/** Every answer, success or not, usually with HTTP 200 (§2). */
export interface XuiEnvelope<T> {
  success: boolean;
  msg: string;
  obj: T;
}

/** A client inside an inbound's `settings.clients[]` (§4.1). */
export interface XuiClient {
  /** UUID credential for vless/vmess; the clientId in update/delete routes. */
  id: string;
  flow: string;
  email: string;
  limitIp: number;
  /** BYTES despite the name; 0 = unlimited. */
  totalGB: number;
  /** Unix MILLISECONDS; 0 = never; negative = starts on first use. */
  expiryTime: number;
  enable: boolean;
  tgId: number | string;
  subId: string;
  comment: string;
  reset: number;
  created_at?: number;
  updated_at?: number;
}

/** §4.3 — counters live apart from the client, keyed by email. */
export interface XuiClientTraffic {
  id: number;
  inboundId: number;
  enable: boolean;
  email: string;
  up: number;
  down: number;
  expiryTime: number;
  total: number;
  reset?: number;
  lastOnline?: number;
}

/** §4.2 — `settings`/`streamSettings` are strings containing JSON. */
export interface XuiInbound {
  id: number;
  remark: string;
  enable: boolean;
  port: number;
  protocol: string;
  settings: string;
  streamSettings: string;
  clientStats: XuiClientTraffic[] | null;
}

/** v3.1+ first-class client (§8). */
export interface XuiClientRecord {
  id?: number;
  email: string;
  subId: string;
  uuid: string;
  flow: string;
  limitIp: number;
  totalGB: number;
  expiryTime: number;
  enable: boolean;
  tgId: number;
  comment: string;
  reset: number;
}

/** What the adapter works with, whichever API generation answered. */
export interface XuiClientView {
  client: XuiClient;
  inboundIds: number[];
  /** The first inbound the client is in (for share links); null if unknown. */
  inbound: XuiInbound | null;
  up: number;
  down: number;
  lastOnline: number | null;
}
