/** Wire shapes of Marzban 0.7/0.8 (marzban.md §4–§5). Only the fields we read or send. */

export type MarzbanStatus = 'active' | 'disabled' | 'limited' | 'expired' | 'on_hold';

export interface MarzbanUser {
  username: string;
  status: MarzbanStatus;
  /** Unix seconds; null or 0 = never. */
  expire: number | null;
  /** Bytes; null or 0 = unlimited. */
  data_limit: number | null;
  used_traffic: number;
  lifetime_used_traffic?: number;
  /** Naive UTC ISO without `Z`. */
  created_at?: string;
  online_at?: string | null;
  proxies: Record<string, Record<string, unknown>>;
  inbounds?: Record<string, string[]>;
  links: string[];
  /** Absolute, or relative (`/sub/<token>`) when the panel has no URL prefix configured. */
  subscription_url: string;
  note?: string | null;
  /** 0.8 only. */
  next_plan?: unknown;
}

export interface MarzbanUserList {
  users: MarzbanUser[];
  total: number;
}

export interface MarzbanSystem {
  version: string;
  total_user: number;
  online_users: number;
  users_active?: number;
}

export interface MarzbanNode {
  id: number;
  name: string;
  status: 'connected' | 'connecting' | 'error' | 'disabled';
  message?: string | null;
}

/** FastAPI error body: a string, or the custom flat `{field: message}` map on 422. */
export interface MarzbanErrorBody {
  detail?: string | Record<string, string>;
}
