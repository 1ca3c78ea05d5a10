import { PanelError, type PanelUser, type PanelUserSpec } from '../../adapter.js';
import { absoluteSubscriptionUrl } from '../../links/subscription-url.js';
import type { MarzbanErrorBody, MarzbanUser } from './marzban.types.js';

/** The releases whose API this adapter was verified against (marzban.md §10). */
export const SUPPORTED_MARZBAN = /^v?0\.(7|8)\.\d+/;

/** Refuses anything but 0.7.x/0.8.x with a message an operator can act on. */
export function assertSupportedVersion(version: string): void {
  if (!SUPPORTED_MARZBAN.test(version)) {
    throw new PanelError(
      'unsupported_version',
      `Marzban ${version} is not supported: this adapter speaks the 0.7.x and 0.8.x API. ` +
        'A PasarGuard panel (the Marzban fork, v5) speaks a different API: set this server\'s panel kind to "pasarguard"; ' +
        'otherwise run Marzban 0.7.x or 0.8.x on it.',
      { panel: 'marzban' },
    );
  }
}

/** Marzban usernames: 3–32 of [a-z0-9_] is the safe subset every version accepts (§4.2, §11.4). */
export function assertMarzbanKey(key: string): void {
  if (!/^[a-z0-9_]{3,32}$/.test(key)) {
    throw new PanelError('rejected', `marzban: user key "${key}" must be 3–32 characters of a-z, 0-9 and _`, { panel: 'marzban' });
  }
}

export const toSeconds = (date: Date | null): number => (date === null ? 0 : Math.floor(date.getTime() / 1000));
export const fromSeconds = (value: number | null | undefined): Date | null => (value ? new Date(value * 1000) : null);
/** Marzban datetimes are naive UTC (`2025-03-01T12:00:00`, maybe with microseconds). */
export const fromNaiveUtc = (value: string | null | undefined): Date | null =>
  value ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : null;

export function toPanelUser(user: MarzbanUser, publicBaseUrl: string): PanelUser {
  return {
    key: user.username,
    panelId: user.username,
    enabled: user.status !== 'disabled',
    status: user.status,
    expiresAt: fromSeconds(user.expire),
    trafficLimitBytes: user.data_limit ? user.data_limit : null,
    usedTrafficBytes: user.used_traffic,
    deviceLimit: null,
    onlineAt: fromNaiveUtc(user.online_at),
    subscriptionUrl: absoluteSubscriptionUrl(user.subscription_url, publicBaseUrl),
    links: user.links,
  };
}

/** The fields a modify would change, or null when the user already matches the spec. */
export function modifyBody(current: MarzbanUser, spec: PanelUserSpec): Record<string, unknown> | null {
  const wanted = {
    expire: toSeconds(spec.expiresAt),
    data_limit: spec.trafficLimitBytes ?? 0,
    status: spec.enabled ? 'active' : 'disabled',
    note: spec.note ?? current.note ?? null,
  };
  const same =
    wanted.expire === (current.expire ?? 0) &&
    wanted.data_limit === (current.data_limit ?? 0) &&
    (spec.enabled ? current.status !== 'disabled' : current.status === 'disabled') &&
    wanted.note === (current.note ?? null);
  // Never send `proxies` on modify: settings without ids get new random credentials (§11.3),
  // which would silently break the customer's configured app.
  return same ? null : wanted;
}

/** FastAPI's `detail` as one readable line (string, or the flat 422 map). */
export function describeDetail(body: MarzbanErrorBody | undefined, fallback: string): string {
  const detail = body?.detail;
  if (typeof detail === 'string') return detail;
  if (detail && typeof detail === 'object')
    return Object.entries(detail)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
  return fallback;
}
