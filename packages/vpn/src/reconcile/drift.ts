import type { PanelKind, PanelUser, PanelUserSpec } from '../adapter.js';

/** What each panel can hold, so a limit it cannot express is never reported as drift. */
export const PANEL_CAPABILITIES: Record<PanelKind, { trafficLimit: boolean; deviceLimit: boolean }> = {
  marzban: { trafficLimit: true, deviceLimit: false },
  '3x-ui': { trafficLimit: true, deviceLimit: true },
  remnawave: { trafficLimit: true, deviceLimit: true },
  'wg-easy': { trafficLimit: false, deviceLimit: false },
};

export type DriftKind = 'missing_in_panel' | 'orphan_in_panel' | 'expiry_differs' | 'limit_differs' | 'enabled_differs';

/** One difference between the database (desired) and a panel (actual). */
export interface DriftItem {
  kind: DriftKind;
  serverId: number;
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

/** Compares one panel user with what the database wants; pure, so every rule is unit-tested. */
export function compareUser(
  desired: PanelUserSpec,
  actual: PanelUser,
  context: { kind: PanelKind; serverId: number; accountId: number; subscriptionId: number; expiryToleranceMs: number },
): DriftItem[] {
  const base = { serverId: context.serverId, key: desired.key, accountId: context.accountId, subscriptionId: context.subscriptionId };
  const caps = PANEL_CAPABILITIES[context.kind];
  const items: DriftItem[] = [];
  const e = desired.expiresAt?.getTime() ?? null;
  const a = actual.expiresAt?.getTime() ?? null;
  if ((e === null) !== (a === null) || (e !== null && a !== null && Math.abs(e - a) > context.expiryToleranceMs)) {
    items.push({ ...base, kind: 'expiry_differs', expected: iso(desired.expiresAt), actual: iso(actual.expiresAt) });
  }
  if (caps.trafficLimit && desired.trafficLimitBytes !== actual.trafficLimitBytes) {
    items.push({ ...base, kind: 'limit_differs', field: 'trafficLimitBytes', expected: desired.trafficLimitBytes, actual: actual.trafficLimitBytes });
  }
  if (caps.deviceLimit && desired.deviceLimit !== actual.deviceLimit) {
    items.push({ ...base, kind: 'limit_differs', field: 'deviceLimit', expected: desired.deviceLimit, actual: actual.deviceLimit });
  }
  if (desired.enabled !== actual.enabled) items.push({ ...base, kind: 'enabled_differs', expected: desired.enabled, actual: actual.enabled });
  return items;
}
