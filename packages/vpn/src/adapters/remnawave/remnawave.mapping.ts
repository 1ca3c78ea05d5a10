import type { PanelUser, PanelUserSpec, PanelUserStatus } from '../../adapter.js';
import type { RemnawaveCreateBody, RemnawaveGeneration, RemnawaveUpdateBody, RemnawaveUser } from './remnawave.types.js';

/**
 * Remnawave has no "never expires": `expireAt` is always set (specs/remnawave.md §4). We write
 * this far date for `expiresAt: null` and read anything from 2099 on back as null.
 */
export const REMNAWAVE_NEVER = new Date('2099-12-31T23:59:59.000Z');
const NEVER_FROM = Date.UTC(2099, 0, 1);

/** Usernames: `^[a-zA-Z0-9_-]+$`, 3–36 chars (§5.1). Our keys must fit, or the create is refused. */
export const REMNAWAVE_USERNAME = /^[a-zA-Z0-9_-]{3,36}$/;

/** Our expiry (null = never) as the ISO-8601 `Z` string the panel wants. */
export function toRemnawaveExpireAt(expiresAt: Date | null): string {
  return (expiresAt ?? REMNAWAVE_NEVER).toISOString();
}

/** The panel's ISO `expireAt` back to ours; the far "never" date becomes null. */
export function fromRemnawaveExpireAt(expireAt: string): Date | null {
  const date = new Date(expireAt);
  return date.getTime() >= NEVER_FROM ? null : date;
}

/** null (unlimited) ↔ 0: Remnawave's `trafficLimitBytes: 0` means unlimited. Bytes both sides. */
export function toRemnawaveTrafficLimit(limit: number | null): number {
  return limit === null ? 0 : Math.max(0, Math.floor(limit));
}

export function fromRemnawaveTrafficLimit(limit: number): number | null {
  return limit > 0 ? limit : null;
}

/** The create body for a spec; `squads` are the internal squad uuids that grant the inbounds. */
export function toCreateBody(spec: PanelUserSpec, squads: string[]): RemnawaveCreateBody {
  const body: RemnawaveCreateBody = {
    username: spec.key,
    expireAt: toRemnawaveExpireAt(spec.expiresAt),
    status: spec.enabled ? 'ACTIVE' : 'DISABLED',
    trafficLimitBytes: toRemnawaveTrafficLimit(spec.trafficLimitBytes),
    trafficLimitStrategy: 'NO_RESET',
    activeInternalSquads: squads,
  };
  if (spec.deviceLimit !== null) body.hwidDeviceLimit = spec.deviceLimit;
  if (spec.note !== undefined) body.description = spec.note;
  return body;
}

/** The identifier a PATCH uses: 3.x `id`, 2.x `uuid`, falling back to `username` (both accept it). */
export function updateIdentity(user: RemnawaveUser, generation: RemnawaveGeneration): RemnawaveUpdateBody {
  if (generation === 3 && user.id !== undefined) return { id: user.id };
  if (generation === 2 && user.uuid !== undefined) return { uuid: user.uuid };
  return { username: user.username };
}

/** The path segment that addresses a user: numeric id in 3.x, uuid in 2.x. */
export function userPathId(user: RemnawaveUser, generation: RemnawaveGeneration): string {
  const id = generation === 3 ? user.id : user.uuid;
  if (id === undefined) throw new Error(`Remnawave user ${user.username} has no ${generation === 3 ? 'id' : 'uuid'}`);
  return String(id);
}

/**
 * What a PATCH must change so `current` matches `spec`, or null when it already does.
 *
 * - Status is sent only to enable (DISABLED → ACTIVE): sending ACTIVE to a LIMITED/EXPIRED user
 *   would lift the panel's own limit, and a PATCH `DISABLED` is applied by the panel to ACTIVE
 *   users only (users.service.ts), so disabling is `POST /actions/disable` ({@link needsDisable}).
 *   A new limit or expiry lifts LIMITED/EXPIRED by itself (§5.2 side effects).
 * - `expireAt` must be in the future on update (§5.2); a past one is not sent, and the user is
 *   kept disabled by status instead (the panel marks it EXPIRED on its own).
 * - Squads are replaced only when the set differs.
 */
export function toUpdateBody(
  spec: PanelUserSpec,
  current: RemnawaveUser,
  squads: string[],
  generation: RemnawaveGeneration,
  now: Date = new Date(),
): RemnawaveUpdateBody | null {
  const patch: RemnawaveUpdateBody = {};
  if (spec.enabled && current.status === 'DISABLED') patch.status = 'ACTIVE';
  const wantedLimit = toRemnawaveTrafficLimit(spec.trafficLimitBytes);
  if (wantedLimit !== current.trafficLimitBytes) patch.trafficLimitBytes = wantedLimit;
  const wantedExpire = toRemnawaveExpireAt(spec.expiresAt);
  const expireDiffers = new Date(wantedExpire).getTime() !== new Date(current.expireAt).getTime();
  if (expireDiffers && new Date(wantedExpire).getTime() > now.getTime()) patch.expireAt = wantedExpire;
  if (spec.deviceLimit !== current.hwidDeviceLimit) patch.hwidDeviceLimit = spec.deviceLimit;
  if (spec.note !== undefined && spec.note !== current.description) patch.description = spec.note;
  const have = new Set(current.activeInternalSquads.map((s) => s.uuid));
  if (squads.length > 0 && (have.size !== squads.length || squads.some((s) => !have.has(s)))) {
    patch.activeInternalSquads = squads;
  }
  if (Object.keys(patch).length === 0) return null;
  return { ...updateIdentity(current, generation), ...patch };
}

/**
 * Whether the spec wants the user off while its operator switch is on. ACTIVE, and also EXPIRED
 * and LIMITED: those cannot connect now, but the panel makes them ACTIVE again by itself (a
 * traffic reset, a new expiry), so only the DISABLED status keeps a customer who no longer pays out.
 */
export const needsDisable = (spec: PanelUserSpec, current: RemnawaveUser): boolean => !spec.enabled && current.status !== 'DISABLED';

/** The panel's user in our units. 2.0–2.2 keep traffic flat on the user, later versions nest it. */
export function toPanelUser(user: RemnawaveUser, generation: RemnawaveGeneration): PanelUser {
  const used = user.userTraffic?.usedTrafficBytes ?? user.usedTrafficBytes ?? 0;
  const onlineAt = user.userTraffic?.onlineAt ?? user.onlineAt ?? null;
  const panelId = generation === 3 ? user.id : (user.uuid ?? user.id);
  return {
    key: user.username,
    panelId: String(panelId ?? user.username),
    // The operator switch: EXPIRED and LIMITED are switched on (they come back by themselves);
    // `status` says they are not usable now.
    enabled: user.status !== 'DISABLED',
    expiresAt: fromRemnawaveExpireAt(user.expireAt),
    trafficLimitBytes: fromRemnawaveTrafficLimit(user.trafficLimitBytes),
    usedTrafficBytes: used,
    deviceLimit: user.hwidDeviceLimit,
    onlineAt: onlineAt === null ? null : new Date(onlineAt),
    subscriptionUrl: user.subscriptionUrl || null,
    links: [],
    status: STATUS[user.status],
  };
}

const STATUS: Record<RemnawaveUser['status'], PanelUserStatus> = {
  ACTIVE: 'active',
  DISABLED: 'disabled',
  LIMITED: 'limited',
  EXPIRED: 'expired',
};
