import { PanelError, type PanelUser, type PanelUserSpec } from '../../adapter.js';
import { absoluteSubscriptionUrl } from '../../links/subscription-url.js';
import { fromNaiveUtc } from '../marzban/marzban-mapping.js';
import type { PasarGuardUser } from './pasarguard.types.js';

/** The release line the delta spec was checked against (pasarguard.md: v5.2.1). */
export const SUPPORTED_PASARGUARD = /^v?5\.\d+/;

export function assertSupportedPasarGuard(version: string): void {
  if (!SUPPORTED_PASARGUARD.test(version)) {
    throw new PanelError(
      'unsupported_version',
      `PasarGuard ${version} is not supported: this adapter speaks the v5 API. For Marzban 0.7/0.8 use panel kind "marzban".`,
      {
        panel: 'pasarguard',
      },
    );
  }
}

/**
 * Our expiry as PasarGuard takes it: an ISO datetime with its zone; "never" is `0`, which the
 * Marzban lineage reads as unlimited on create and on modify (null on modify means "no change").
 */
export const toExpire = (date: Date | null): string | 0 =>
  date === null ? 0 : `${new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
export const fromExpire = (value: string | null | undefined): Date | null => fromNaiveUtc(value);

export function toPanelUser(user: PasarGuardUser, publicBaseUrl: string): PanelUser {
  return {
    key: user.username,
    panelId: String(user.id),
    enabled: user.status !== 'disabled',
    status: user.status,
    expiresAt: fromExpire(user.expire),
    trafficLimitBytes: user.data_limit ? user.data_limit : null,
    usedTrafficBytes: user.used_traffic,
    deviceLimit: user.hwid_limit ?? null,
    onlineAt: fromNaiveUtc(user.online_at),
    subscriptionUrl: absoluteSubscriptionUrl(user.subscription_url, publicBaseUrl),
    // No per-protocol links in the response (pasarguard.md): the subscription URL carries them.
    links: [],
  };
}

const sameGroups = (a: number[] | undefined, b: number[]): boolean =>
  a === undefined || (a.length === b.length && b.every((id) => a.includes(id)));

/** What a modify must change (only the changed fields), or null when the user already matches. */
export function modifyBody(current: PasarGuardUser, spec: PanelUserSpec, groupIds: number[]): Record<string, unknown> | null {
  const body: Record<string, unknown> = {};
  // Whole seconds on both sides: the panel stores no milliseconds.
  const wanted = spec.expiresAt === null ? null : Math.floor(spec.expiresAt.getTime() / 1000) * 1000;
  if (wanted !== (fromExpire(current.expire)?.getTime() ?? null)) body.expire = toExpire(spec.expiresAt);
  if ((spec.trafficLimitBytes ?? 0) !== (current.data_limit ?? 0)) body.data_limit = spec.trafficLimitBytes ?? 0;
  if (spec.enabled !== (current.status !== 'disabled')) body.status = spec.enabled ? 'active' : 'disabled';
  if (spec.deviceLimit !== (current.hwid_limit ?? null)) body.hwid_limit = spec.deviceLimit;
  if (spec.note !== undefined && spec.note !== current.note) body.note = spec.note;
  if (!sameGroups(current.group_ids, groupIds)) body.group_ids = groupIds;
  return Object.keys(body).length === 0 ? null : body;
}
