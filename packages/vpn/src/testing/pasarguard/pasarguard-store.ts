import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../emulator-server.js';
import { detail } from '../marzban/marzban-users.js';

/** A PasarGuard user as the emulator keeps it (expire in ms, null = never). */
export interface PgUser {
  id: number;
  username: string;
  status: 'active' | 'disabled' | 'limited' | 'expired' | 'on_hold';
  expire: number | null;
  data_limit: number | null;
  data_limit_reset_strategy: string;
  used_traffic: number;
  lifetime_used_traffic: number;
  hwid_limit: number | null;
  note: string | null;
  group_ids: number[];
  online_at: string | null;
  created_at: string;
  edit_at: string | null;
  /** Changes on revoke; old subscription URLs stop working. */
  subToken: string;
  /** `proxy_settings.vless.id`: the credential in the share links; a revoke replaces it. */
  vlessId: string;
}

type Body = Record<string, unknown>;
const invalid = (field: string, message: string): EmulatorResponse => detail(422, { [field]: message });
const aware = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

/** The user store and its rules (pasarguard.md deltas on marzban.md §5.2–§5.3). */
export function createPasarGuardStore(options: {
  groups: Array<{ id: number; name: string }>;
  subscriptionUrlPrefix: string;
  now: () => number;
  version: string;
}) {
  const users = new Map<string, PgUser>();
  let nextId = 1;

  /** `expire`: ISO datetime (with or without zone) or Unix seconds; 0/null = never. */
  function parseExpire(value: unknown): { ms: number | null } | { error: EmulatorResponse } {
    if (value === null || value === 0) return { ms: null };
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return { ms: value * 1000 };
    if (typeof value === 'string' && !Number.isNaN(Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`))) {
      return { ms: Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) };
    }
    return { error: invalid('expire', 'Input should be a valid datetime') };
  }

  /** Shared checks; returns the 4xx or null. */
  function check(body: Body, creating: boolean): EmulatorResponse | null {
    if ('group_ids' in body || creating) {
      const ids: unknown = body.group_ids;
      if (!Array.isArray(ids) || ids.length === 0) return invalid('group_ids', 'you must select at least one group');
      if ((ids as unknown[]).some((id) => !options.groups.some((g) => g.id === id))) return detail(404, 'Group not found');
    }
    for (const field of ['data_limit', 'hwid_limit']) {
      const v = body[field];
      if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
        return invalid(field, 'Input should be a valid integer');
    }
    if ('status' in body) {
      const allowed = creating ? ['active', 'on_hold'] : ['active', 'disabled', 'on_hold'];
      if (!allowed.includes(body.status as string))
        return invalid('status', `Input should be ${allowed.map((s) => `'${s}'`).join(' or ')}`);
    }
    if (typeof body.note === 'string' && body.note.length > 500) return invalid('note', 'String should have at most 500 characters');
    return null;
  }

  /** Marzban's status re-evaluation after a limit or expiry change (§5.2 steps 3–4). */
  function reevaluate(user: PgUser): void {
    if (user.status === 'disabled' || user.status === 'on_hold') return;
    const limited = user.data_limit !== null && user.data_limit > 0 && user.used_traffic >= user.data_limit;
    const expired = user.expire !== null && user.expire <= options.now();
    user.status = limited ? 'limited' : expired ? 'expired' : 'active';
  }

  function apply(user: PgUser, body: Body): EmulatorResponse | null {
    if ('expire' in body) {
      const parsed = parseExpire(body.expire);
      if ('error' in parsed) return parsed.error;
      user.expire = parsed.ms;
    }
    if (typeof body.status === 'string') user.status = body.status as PgUser['status'];
    if ('data_limit' in body && body.data_limit !== null) user.data_limit = (body.data_limit as number) || null;
    if ('hwid_limit' in body) user.hwid_limit = body.hwid_limit as number | null;
    if ('note' in body) user.note = (body.note as string | null) ?? null;
    if (Array.isArray(body.group_ids)) user.group_ids = body.group_ids as number[];
    if (typeof body.data_limit_reset_strategy === 'string') user.data_limit_reset_strategy = body.data_limit_reset_strategy;
    reevaluate(user);
    return null;
  }

  const store = {
    options,
    users,
    response(user: PgUser) {
      const { subToken, expire, vlessId, ...rest } = user;
      const path = `/sub/${subToken}`;
      return {
        ...rest,
        proxy_settings: { vless: { id: vlessId, flow: '' } },
        expire: expire === null ? null : aware(expire),
        subscription_url: options.subscriptionUrlPrefix ? `${options.subscriptionUrlPrefix}${path}` : path,
        admin: null,
      };
    },
    create(body: Body): EmulatorResponse {
      const username = body.username;
      if (typeof username !== 'string' || !/^[A-Za-z0-9_\-@.]{3,128}$/.test(username))
        return invalid('username', 'Username only can be 3 to 32 characters and contain a-z, 0-9, and underscores in between.');
      const problem = check(body, true);
      if (problem) return problem;
      if (users.has(username.toLowerCase())) return detail(409, 'User already exists');
      const user: PgUser = {
        id: nextId++,
        username,
        status: 'active',
        expire: null,
        data_limit: null,
        data_limit_reset_strategy: 'no_reset',
        used_traffic: 0,
        lifetime_used_traffic: 0,
        hwid_limit: null,
        note: null,
        group_ids: [],
        online_at: null,
        created_at: aware(options.now()),
        edit_at: null,
        subToken: randomBytes(12).toString('base64url'),
        vlessId: randomUUID(),
      };
      const failed = apply(user, body);
      if (failed) return failed;
      users.set(username.toLowerCase(), user);
      return { status: 201, json: store.response(user) };
    },
    modify(user: PgUser, body: Body): EmulatorResponse {
      const problem = check(body, false) ?? apply(user, body);
      if (problem) return problem;
      user.edit_at = aware(options.now());
      return { status: 200, json: store.response(user) };
    },
    reset(user: PgUser): EmulatorResponse {
      user.used_traffic = 0;
      if (user.status === 'limited') user.status = 'active';
      reevaluate(user);
      return { status: 200, json: store.response(user) };
    },
    revoke(user: PgUser): EmulatorResponse {
      user.subToken = randomBytes(12).toString('base64url');
      user.vlessId = randomUUID();
      return { status: 200, json: store.response(user) };
    },
    byToken: (token: string): PgUser | undefined => [...users.values()].find((u) => u.subToken === token),
  };
  return store;
}

export type PasarGuardStore = ReturnType<typeof createPasarGuardStore>;
