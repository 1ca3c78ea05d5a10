import type { MarzbanStatus } from '../marzban/marzban.types.js';

/**
 * Wire shapes of PasarGuard v5 (specs/pasarguard.md: the deltas to Marzban). Only the fields we
 * read or send; the spec marks the full response field list UNVERIFIED.
 */
export interface PasarGuardUser {
  /** Numeric id (`/api/user/by-id/{id}`); we address users by username like Marzban. */
  id: number;
  username: string;
  status: MarzbanStatus;
  /** Timezone-aware ISO datetime; null = never. */
  expire: string | null;
  /** Bytes; null or 0 = unlimited. */
  data_limit: number | null;
  used_traffic: number;
  /** Device (HWID) limit; null = none. */
  hwid_limit: number | null;
  note: string | null;
  online_at: string | null;
  /** Absolute, or relative when the panel has no subscription URL prefix. */
  subscription_url: string;
  group_ids?: number[];
}

export interface PasarGuardUserList {
  users: PasarGuardUser[];
  total: number;
}
