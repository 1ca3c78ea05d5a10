/** A refusal from the API: `{ error, message, field? }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function csrfToken(): string {
  return /(?:^|;\s*)vpn_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' ? { 'x-csrf-token': csrfToken() } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time: parallel requests that all got 401 wait for the same rotation. */
function refresh(): Promise<boolean> {
  refreshing ??= send('POST', '/api/auth/refresh')
    .then((r) => r.ok)
    .finally(() => (refreshing = null));
  return refreshing;
}

/**
 * Calls the admin API with the session cookies and the CSRF header. An expired access token is
 * refreshed once (the refresh token rotates) and the call repeated; a refusal becomes an ApiError.
 */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response = await send(method, path, body);
  if (response.status === 401 && !path.startsWith('/api/auth/') && (await refresh())) response = await send(method, path, body);
  const text = await response.text();
  const data = (text ? JSON.parse(text) : null) as (T & { error?: string; message?: string; field?: string }) | null;
  if (!response.ok) throw new ApiError(response.status, data?.error ?? 'error', data?.message ?? response.statusText, data?.field);
  return data as T;
}

export interface Me {
  id: number;
  telegramId: number;
  name: string | null;
  role: string;
  permissions: string[];
}

export interface Customer {
  id: number;
  telegramId: number;
  username: string | null;
  firstName: string | null;
  languageCode: string | null;
  blocked: boolean;
  blockedReason?: string | null;
  createdAt: string;
}

export interface Subscription {
  id: number;
  status: string;
  isTrial: boolean;
  endsAt: string | null;
  planId: number | null;
}

export interface Payment {
  id: string;
  userId: number;
  provider: string;
  status: string;
  amountMinor: number;
  currency: string;
  createdAt: string;
}

export interface AuditEntry {
  id: number;
  actorKind: string;
  actorId: number | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Server {
  id: number;
  name: string;
  panelKind: string;
  baseUrl: string;
  countryCode: string | null;
  capacity: number | null;
  weight: number;
  active: boolean;
  healthStatus: string;
  healthCheckedAt: string | null;
  lastError: string | null;
  latencyMs: number | null;
  usersCount: number;
}

export interface StaffMember {
  id: number;
  telegramId: number;
  name: string | null;
  role: string;
  active: boolean;
}
