import type { PanelUser, PanelUserSpec } from '../../adapter.js';
import type { WgClientView } from './wg-easy.types.js';

/**
 * How our spec maps onto wg-easy (specs/wireguard-wg-easy.md):
 * - `key` → client `name` (names are not unique in wg-easy, so the adapter removes duplicates).
 * - `expiresAt` → v15 `expiresAt` (ISO, null = never; the panel's cron disables the client when
 *   it passes). v14 cannot store it: reported as null, and our expiry sweep disables the client.
 * - `enabled` → `enabled`.
 * - `trafficLimitBytes`: wg-easy has no traffic limit — ignored, reported as null (unlimited).
 *   Enforcing a limit is our side's job (usage sync → disable); the counters reset whenever the
 *   interface restarts, so they are not a reliable meter either.
 * - `deviceLimit`: one client = one key pair = one device at a time; ignored, reported as null.
 * - `note`: wg-easy has no free-text field; ignored.
 * - No subscription URL and no share links: the customer gets `wireguardConfig` (the .conf).
 */
export function toPanelUser(client: WgClientView, wireguardConfig?: string): PanelUser {
  const user: PanelUser = {
    key: client.name,
    panelId: client.id,
    enabled: client.enabled,
    expiresAt: client.expiresAt === null ? null : new Date(client.expiresAt),
    trafficLimitBytes: null,
    usedTrafficBytes: client.transferRx + client.transferTx,
    deviceLimit: null,
    onlineAt: client.latestHandshakeAt === null ? null : new Date(client.latestHandshakeAt),
    subscriptionUrl: null,
    links: [],
    status: client.enabled ? 'active' : 'disabled',
  };
  if (wireguardConfig !== undefined) user.wireguardConfig = wireguardConfig;
  return user;
}

/** What `apply` must reach for a spec. */
export const wantedState = (spec: PanelUserSpec): { enabled: boolean; expiresAt: Date | null } => ({
  enabled: spec.enabled,
  expiresAt: spec.expiresAt,
});

/** A client name wg-easy accepts: at least one character, no control characters. */
// eslint-disable-next-line no-control-regex
export const isValidClientName = (name: string): boolean => name.length >= 1 && name.length <= 64 && !/[\x00-\x1f\x7f]/.test(name);
