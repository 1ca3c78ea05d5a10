/**
 * The one contract every VPN panel adapter fulfils. The database is the desired state; an
 * adapter only makes one panel match it. Units here are ours (Date, bytes); each adapter
 * converts to what its panel wants (seconds, milliseconds, ISO strings, gigabytes).
 */

export type PanelKind = 'marzban' | '3x-ui' | 'remnawave' | 'wg-easy' | 'pasarguard';

/** What we want a panel user to look like. `key` derives from our own ids, so a retry finds it. */
export interface PanelUserSpec {
  /** Stable, panel-safe name derived from our ids (e.g. `vpn_s42`); never random. */
  key: string;
  /** null = never expires. */
  expiresAt: Date | null;
  /** null = unlimited. */
  trafficLimitBytes: number | null;
  /** null = unlimited devices (where the panel supports a limit at all). */
  deviceLimit: number | null;
  enabled: boolean;
  /** Free text shown in the panel, e.g. the Telegram id, for operators looking at the panel. */
  note?: string;
}

/** A panel user as the panel reports it, in our units. */
export interface PanelUser {
  key: string;
  /** The panel's own stable id where it differs from `key` (3x-ui client uuid, Remnawave uuid, wg-easy id). */
  panelId: string;
  enabled: boolean;
  expiresAt: Date | null;
  trafficLimitBytes: number | null;
  usedTrafficBytes: number;
  deviceLimit: number | null;
  onlineAt: Date | null;
  /** Absolute subscription URL, when the panel has one. */
  subscriptionUrl: string | null;
  /** Per-protocol share links (vless://, vmess://, ...). */
  links: string[];
  /** WireGuard: the full `.conf` text. */
  wireguardConfig?: string;
  /**
   * The panel's own state where it has one (Marzban/Remnawave status; computed for 3x-ui).
   * `enabled` is the operator switch; this also says limited/expired. Optional (added later).
   */
  status?: PanelUserStatus;
}

/** Normalised panel user state; `enabled: false` always maps to 'disabled'. */
export type PanelUserStatus = 'active' | 'disabled' | 'limited' | 'expired' | 'on_hold';

/**
 * Whether the customer can connect now: switched on and neither limited nor expired (Remnawave
 * LIMITED/EXPIRED, Marzban limited/expired, a depleted 3x-ui client). `enabled` alone is the
 * operator switch, which a limited user still has on.
 */
export const isUsable = (user: Pick<PanelUser, 'enabled' | 'status'>): boolean =>
  user.enabled && user.status !== 'disabled' && user.status !== 'limited' && user.status !== 'expired';

export interface PanelHealth {
  ok: boolean;
  version: string | null;
  latencyMs: number;
  usersTotal?: number;
  usersOnline?: number;
  nodes?: Array<{ name: string; connected: boolean }>;
  error?: string;
}

export interface PanelAdapter {
  readonly kind: PanelKind;
  /** Logs in, reads the panel version and refuses one it does not support (PanelError 'unsupported_version'). */
  connect(): Promise<{ version: string }>;
  /** Creates the user if missing, otherwise modifies it to match; never creates a second account. */
  ensureUser(spec: PanelUserSpec): Promise<PanelUser>;
  getUser(key: string): Promise<PanelUser | null>;
  setEnabled(key: string, enabled: boolean): Promise<void>;
  resetTraffic(key: string): Promise<void>;
  /** Revokes the subscription link or key and returns the user with the new one. */
  revokeSubscription(key: string): Promise<PanelUser>;
  /**
   * Deleting a user that does not exist is not an error. A panel that refuses to delete the user
   * now (3x-ui: an inbound's last client) disables it and throws `PanelError('kept_disabled')`:
   * the customer cannot connect, and the caller keeps the removal pending to try again later.
   */
  deleteUser(key: string): Promise<void>;
  listUsers(page: { offset: number; limit: number }): Promise<{ users: PanelUser[]; total: number }>;
  health(): Promise<PanelHealth>;
}

/** `kept_disabled`: a delete the panel refused for now; the user is disabled instead (see `deleteUser`). */
export type PanelErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'not_found'
  | 'conflict'
  | 'rejected'
  | 'bad_response'
  | 'unsupported_version'
  | 'circuit_open'
  | 'kept_disabled';

/** The one error kind adapters throw; `retryable` tells the provisioning queue whether to back off and retry. */
export class PanelError extends Error {
  constructor(
    readonly code: PanelErrorCode,
    message: string,
    readonly details: { status?: number; panel?: PanelKind; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'PanelError';
  }

  get retryable(): boolean {
    return this.code === 'unreachable' || this.code === 'timeout' || this.code === 'circuit_open' || (this.details.status ?? 0) >= 500;
  }
}
