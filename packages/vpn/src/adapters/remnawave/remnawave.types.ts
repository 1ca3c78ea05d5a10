/**
 * Remnawave wire types (specs/remnawave.md §4) and version rules (§8). Only the fields the
 * adapter reads are typed; the panel sends more.
 */

export type RemnawaveStatus = 'ACTIVE' | 'DISABLED' | 'LIMITED' | 'EXPIRED';

/** Traffic counters: nested under `userTraffic` since 2.3, flat on the user in 2.0–2.2. */
export interface RemnawaveTraffic {
  usedTrafficBytes: number;
  lifetimeUsedTrafficBytes?: number;
  onlineAt: string | null;
  firstConnectedAt?: string | null;
}

/** `ExtendedUser` as both supported generations send it. */
export interface RemnawaveUser {
  /** 3.x path id; also present (but not a path id) in 2.3–2.8; absent in 2.0–2.2. */
  id?: number;
  /** 2.x path id; removed in 3.x. */
  uuid?: string;
  shortUuid: string;
  username: string;
  status: RemnawaveStatus;
  trafficLimitBytes: number;
  trafficLimitStrategy: string;
  expireAt: string;
  description: string | null;
  hwidDeviceLimit: number | null;
  subscriptionUrl: string;
  activeInternalSquads: Array<{ uuid: string; name: string }>;
  userTraffic?: RemnawaveTraffic;
  usedTrafficBytes?: number;
  onlineAt?: string | null;
  subRevokedAt?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** `POST /api/users` body (§5.1), the fields we set. */
export interface RemnawaveCreateBody {
  username: string;
  expireAt: string;
  status: 'ACTIVE' | 'DISABLED';
  trafficLimitBytes: number;
  trafficLimitStrategy: 'NO_RESET';
  hwidDeviceLimit?: number;
  description?: string;
  activeInternalSquads: string[];
}

/** `PATCH /api/users` body (§5.2): the identifier plus only the fields that must change. */
export interface RemnawaveUpdateBody {
  id?: number;
  uuid?: string;
  username?: string;
  status?: 'ACTIVE' | 'DISABLED';
  trafficLimitBytes?: number;
  expireAt?: string;
  hwidDeviceLimit?: number | null;
  description?: string | null;
  activeInternalSquads?: string[];
}

export interface RemnawaveSquad {
  uuid: string;
  name: string;
}

/** The API generation; it decides path ids, delete status and the update identifier. */
export type RemnawaveGeneration = 2 | 3;

/** Generations this adapter speaks. 1.x used inbounds instead of squads and other routes. */
export const SUPPORTED_REMNAWAVE = '2.x (2.0–2.8) and 3.x';

/**
 * Reads the generation from a version string such as `2.8.1` or `v3.3.2`; null when the major
 * version is one we do not speak.
 */
export function remnawaveGeneration(version: string): RemnawaveGeneration | null {
  const major = /^v?(\d+)\./.exec(version.trim())?.[1];
  if (major === '2') return 2;
  if (major === '3') return 3;
  return null;
}
