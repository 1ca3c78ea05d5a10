import type { Plan, Subscription } from '@vpn/db';
import type { PanelUserSpec } from '../adapter.js';

/** Prefix of every panel user we create; reconciliation only ever touches names with it. */
export const DEFAULT_KEY_PREFIX = 'vpn_s';

/**
 * The panel user name of a subscription: derived from OUR id, so a retried create finds the
 * account it made before. `vpn_s<id>` fits every panel (Marzban: 3–32 of [a-z0-9_]).
 */
export function panelUserKey(subscriptionId: number, prefix = DEFAULT_KEY_PREFIX): string {
  return `${prefix}${subscriptionId}`;
}

/** The subscription id back from a key with our prefix; null for anyone else's user. */
export function subscriptionIdFromKey(key: string, prefix = DEFAULT_KEY_PREFIX): number | null {
  if (!key.startsWith(prefix)) return null;
  const rest = key.slice(prefix.length);
  return /^[1-9]\d{0,17}$/.test(rest) ? Number(rest) : null;
}

/**
 * What the panel should hold for a subscription: open only while it is active and not past its
 * end (an expiry the sweep has not marked yet is already closed); the subscription's own limits
 * override the plan's; a missing limit is unlimited.
 */
export function desiredSpec(
  sub: Pick<Subscription, 'id' | 'status' | 'endsAt' | 'trafficLimitBytes' | 'deviceLimit'>,
  plan: Pick<Plan, 'trafficLimitBytes' | 'deviceLimit'> | null,
  options: { key: string; note?: string; now?: Date },
): PanelUserSpec {
  const now = options.now ?? new Date();
  return {
    key: options.key,
    expiresAt: sub.endsAt,
    trafficLimitBytes: sub.trafficLimitBytes ?? plan?.trafficLimitBytes ?? null,
    deviceLimit: sub.deviceLimit ?? plan?.deviceLimit ?? null,
    enabled: sub.status === 'active' && (sub.endsAt === null || sub.endsAt.getTime() > now.getTime()),
    note: options.note,
  };
}
