import type { PanelKind, PanelUser, PanelUserSpec } from '../adapter.js';
import { wgEasyGeneration } from '../adapters/wg-easy/wg-easy.types.js';

/**
 * How a panel holds an expiry date: `any` date; only `future` ones (an update refuses a past
 * date, so a repair can never write it); or `none` at all (always read back as null).
 */
export type ExpiryCapability = 'any' | 'future' | 'none';

export interface PanelCapabilities {
  trafficLimit: boolean;
  deviceLimit: boolean;
  expiry: ExpiryCapability;
}

/**
 * What each panel can hold, so a value it cannot express is never reported as drift (a repair
 * could not fix it, and it would be reported forever). Versions that differ: {@link panelCapabilities}.
 */
export const PANEL_CAPABILITIES: Record<PanelKind, PanelCapabilities> = {
  marzban: { trafficLimit: true, deviceLimit: false, expiry: 'any' },
  '3x-ui': { trafficLimit: true, deviceLimit: true, expiry: 'any' },
  // PATCH /api/users refuses an `expireAt` in the past (remnawave.md §5.2); the adapter keeps an
  // ended user off with its status instead.
  remnawave: { trafficLimit: true, deviceLimit: true, expiry: 'future' },
  // hwid_limit is the device limit (pasarguard.md); expire an ISO datetime, past ones included.
  pasarguard: { trafficLimit: true, deviceLimit: true, expiry: 'any' },
  // v15; the legacy v14 API has no expiry at all (below).
  'wg-easy': { trafficLimit: false, deviceLimit: false, expiry: 'any' },
};

/** The capabilities of one panel at the version it reported (unknown version: the kind's). */
export function panelCapabilities(kind: PanelKind, version?: string | null): PanelCapabilities {
  const caps = PANEL_CAPABILITIES[kind];
  // wireguard-wg-easy.md §7: "No expiry support in v14.0"; the adapter reads back null.
  if (kind === 'wg-easy' && version != null && wgEasyGeneration(version) === 14) return { ...caps, expiry: 'none' };
  return caps;
}

/**
 * - `missing_in_panel`: our account row exists, the panel has no such user.
 * - `orphan_in_panel`: a panel user with our prefix that the database does not want there.
 * - `gone_from_panel`: a row the database is retiring (being deleted, or left behind by a move)
 *   whose panel user is already gone, e.g. the worker died between the panel's delete and the
 *   row's update. Repair only finalises the row; nothing is sent to the panel.
 * - `no_synced_account`: a running subscription with no synced account on its server (never
 *   placed, the row never written, or stuck pending/failed) — a paid customer without access.
 * - `expiry_differs`, `limit_differs`, `enabled_differs`: the panel user differs from the spec.
 */
export type DriftKind =
  'missing_in_panel' | 'orphan_in_panel' | 'gone_from_panel' | 'no_synced_account' | 'expiry_differs' | 'limit_differs' | 'enabled_differs';

/** One difference between the database (desired) and a panel (actual). */
export interface DriftItem {
  kind: DriftKind;
  /** null only for `no_synced_account` of a subscription never placed on a server. */
  serverId: number | null;
  key: string;
  /** Our vpn_accounts row, when there is one (an orphan may still have a row being deleted). */
  accountId: number | null;
  subscriptionId: number | null;
  /** For limit_differs: which limit. */
  field?: 'trafficLimitBytes' | 'deviceLimit';
  expected?: unknown;
  actual?: unknown;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export interface CompareContext {
  kind: PanelKind;
  /** The version the panel reported; decides version-dependent capabilities (wg-easy v14). */
  version?: string | null;
  serverId: number;
  accountId: number;
  subscriptionId: number;
  expiryToleranceMs: number;
  /** "Past" for a panel that only holds future expiry dates; default the current time. */
  now?: Date;
}

/** Whether the panel can be made to hold `expiresAt` at all; if not, its expiry is not drift. */
function expiryComparable(expiry: ExpiryCapability, expiresAt: Date | null, now: Date): boolean {
  if (expiry === 'none') return false;
  // A past date cannot be written: access is kept off by `enabled`, which is still compared.
  if (expiry === 'future') return expiresAt === null || expiresAt.getTime() > now.getTime();
  return true;
}

/** Compares one panel user with what the database wants; pure, so every rule is unit-tested. */
export function compareUser(desired: PanelUserSpec, actual: PanelUser, context: CompareContext): DriftItem[] {
  const base = { serverId: context.serverId, key: desired.key, accountId: context.accountId, subscriptionId: context.subscriptionId };
  const caps = panelCapabilities(context.kind, context.version);
  const items: DriftItem[] = [];
  const e = desired.expiresAt?.getTime() ?? null;
  const a = actual.expiresAt?.getTime() ?? null;
  const differs = (e === null) !== (a === null) || (e !== null && a !== null && Math.abs(e - a) > context.expiryToleranceMs);
  if (differs && expiryComparable(caps.expiry, desired.expiresAt, context.now ?? new Date())) {
    items.push({ ...base, kind: 'expiry_differs', expected: iso(desired.expiresAt), actual: iso(actual.expiresAt) });
  }
  if (caps.trafficLimit && desired.trafficLimitBytes !== actual.trafficLimitBytes) {
    items.push({
      ...base,
      kind: 'limit_differs',
      field: 'trafficLimitBytes',
      expected: desired.trafficLimitBytes,
      actual: actual.trafficLimitBytes,
    });
  }
  if (caps.deviceLimit && desired.deviceLimit !== actual.deviceLimit) {
    items.push({ ...base, kind: 'limit_differs', field: 'deviceLimit', expected: desired.deviceLimit, actual: actual.deviceLimit });
  }
  if (desired.enabled !== actual.enabled)
    items.push({ ...base, kind: 'enabled_differs', expected: desired.enabled, actual: actual.enabled });
  return items;
}
