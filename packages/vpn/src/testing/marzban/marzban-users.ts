import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../emulator-server.js';
import { disabledProtocolMessage, naiveUtc, type MarzbanStore, type Status, type StoredUser } from './marzban-store.js';

/** Marzban's user operations with its validation order and quirks (marzban.md §4, §5.2, §5.3, §11). */

type Body = Record<string, unknown>;
const PROXY_TYPES = ['vmess', 'vless', 'trojan', 'shadowsocks'];
const RESET_STRATEGIES = ['no_reset', 'day', 'week', 'month', 'year'];

export const detail = (status: number, message: string | Record<string, string>): EmulatorResponse => ({
  status,
  json: { detail: message },
});
const invalid = (field: string, message: string): EmulatorResponse => detail(422, { [field]: message });

/** §11.4: allowed characters, and only the leading run of [A-Za-z0-9_] is held to 3–32. */
function usernameProblem(username: unknown): string | null {
  if (typeof username !== 'string' || !/^[A-Za-z0-9_\-@.]+$/.test(username))
    return 'Value error, Username only can be 3 to 32 characters and contain a-z, 0-9, and underscores in between.';
  const run = /^[A-Za-z0-9_]*/.exec(username)?.[0] ?? '';
  return run.length < 3 || run.length > 32
    ? 'Value error, Username only can be 3 to 32 characters and contain a-z, 0-9, and underscores in between.'
    : null;
}

/** Shared field checks of create and modify; returns a 422 or null. */
function checkCommon(store: MarzbanStore, body: Body, creating: boolean): EmulatorResponse | null {
  for (const field of ['expire', 'data_limit']) {
    const v = body[field];
    if (v !== undefined && v !== null && (typeof v !== 'number' || v < 0)) return invalid(field, 'Input should be a valid integer');
  }
  if ('status' in body) {
    const allowed = creating ? ['active', 'on_hold'] : ['active', 'disabled', 'on_hold'];
    if (!allowed.includes(body.status as string)) return invalid('status', `Input should be ${allowed.map((s) => `'${s}'`).join(' or ')}`);
  }
  if (
    'data_limit_reset_strategy' in body &&
    (creating ? body.data_limit_reset_strategy !== null : true) &&
    !RESET_STRATEGIES.includes(body.data_limit_reset_strategy as string)
  ) {
    return invalid('data_limit_reset_strategy', "Input should be 'no_reset', 'day', 'week', 'month' or 'year'");
  }
  if (typeof body.note === 'string' && body.note.length > 500) return invalid('note', 'String should have at most 500 characters');
  if (body.status === 'on_hold' && (!body.on_hold_expire_duration || body.expire)) {
    return invalid('status', 'Value error, User cannot be on hold without a valid on_hold_expire_duration or with an expire.');
  }
  const proxies = body.proxies as Record<string, Body> | undefined | null;
  for (const type of Object.keys(proxies ?? {})) {
    if (!PROXY_TYPES.includes(type)) return invalid('proxies', `Input should be ${PROXY_TYPES.join(', ')}`);
    if (!store.options.inbounds.some((i) => i.protocol === type)) return detail(400, disabledProtocolMessage(type));
  }
  const inbounds = body.inbounds as Record<string, string[]> | undefined | null;
  for (const [type, tags] of Object.entries(inbounds ?? {})) {
    for (const tag of tags) {
      if (!store.options.inbounds.some((i) => i.tag === tag && i.protocol === type))
        return invalid('inbounds', `Value error, Inbound ${tag} doesn't exist`);
    }
  }
  return null;
}

/** Excluded tags per protocol from a requested `inbounds` map (empty/missing list = none for create). */
function exclusions(
  store: MarzbanStore,
  proxies: Record<string, Body>,
  inbounds: Record<string, string[]> | undefined,
  creating: boolean,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const type of Object.keys(proxies)) {
    const all = store.options.inbounds.filter((i) => i.protocol === type).map((i) => i.tag);
    // §11.2: with `inbounds` omitted on create every inbound ends up excluded.
    if (inbounds === undefined) out[type] = creating ? all : [];
    else {
      const wanted = inbounds[type];
      out[type] = creating && (wanted === undefined || wanted.length === 0) ? [] : all.filter((t) => !(wanted ?? []).includes(t));
    }
  }
  return out;
}

export function createUser(store: MarzbanStore, body: Body): EmulatorResponse {
  const problem = usernameProblem(body.username);
  if (problem) return invalid('username', problem);
  if (body.proxies === null || (typeof body.proxies === 'object' && Object.keys(body.proxies).length === 0)) {
    return invalid('proxies', 'Value error, Each user needs at least one proxy');
  }
  const bad = checkCommon(store, body, true);
  if (bad) return bad;
  const username = body.username as string;
  if (store.users.has(username.toLowerCase())) return detail(409, 'User already exists');
  const now = store.options.now();
  const proxies: Record<string, Record<string, unknown>> = {};
  for (const [type, settings] of Object.entries((body.proxies ?? {}) as Record<string, Body>))
    proxies[type] = store.fillProxy(type, settings ?? {});
  const user: StoredUser = {
    username,
    status: (body.status as Status | undefined) ?? 'active',
    expire: (body.expire as number | null | undefined) || null,
    data_limit: (body.data_limit as number | null | undefined) || null,
    data_limit_reset_strategy: (body.data_limit_reset_strategy as string | undefined) ?? 'no_reset',
    used_traffic: 0,
    lifetime_used_traffic: 0,
    created_at: naiveUtc(now),
    createdSec: Math.floor(now / 1000),
    proxies,
    excluded: exclusions(store, proxies, body.inbounds as Record<string, string[]> | undefined, true),
    note: (body.note as string | null | undefined) ?? null,
    on_hold_expire_duration: (body.on_hold_expire_duration as number | null | undefined) || null,
    on_hold_timeout: (body.on_hold_timeout as string | null | undefined) ?? null,
    next_plan: body.next_plan ?? null,
    online_at: null,
    sub_updated_at: null,
    subRevokedSec: 0,
    broken: body.proxies === undefined,
  };
  store.users.set(username.toLowerCase(), user);
  // §11.1: stored, yet the answer is 500.
  if (user.broken) return { status: 500, text: 'Internal Server Error' };
  return { status: 200, json: store.response(user) };
}

/** §5.2 in the server's order. */
export function modifyUser(store: MarzbanStore, user: StoredUser, body: Body): EmulatorResponse {
  if (body.status === null) return invalid('status', "Input should be 'active', 'disabled' or 'on_hold'");
  const bad = checkCommon(store, body, false);
  if (bad) return bad;
  const proxies = body.proxies as Record<string, Body> | undefined;
  if (proxies && Object.keys(proxies).length > 0) {
    // §11.3: settings without id/password get fresh random credentials.
    user.proxies = Object.fromEntries(Object.entries(proxies).map(([t, s]) => [t, store.fillProxy(t, s ?? {})]));
  }
  const inbounds = body.inbounds as Record<string, string[]> | undefined;
  if (inbounds && Object.keys(inbounds).length > 0)
    user.excluded = { ...user.excluded, ...exclusions(store, user.proxies, inbounds, false) };
  if (typeof body.status === 'string') user.status = body.status as Status;
  applyLimits(store, user, body);
  if ('note' in body) user.note = (body.note as string | null) ?? null;
  if (typeof body.data_limit_reset_strategy === 'string') user.data_limit_reset_strategy = body.data_limit_reset_strategy;
  // §5.2.6 quirk: a PUT without next_plan deletes the existing one.
  user.next_plan = body.next_plan ?? null;
  return { status: 200, json: store.response(user) };
}

function applyLimits(store: MarzbanStore, user: StoredUser, body: Body): void {
  if (body.data_limit !== undefined && body.data_limit !== null) {
    user.data_limit = Math.trunc(body.data_limit as number) || null;
    if (user.status !== 'expired' && user.status !== 'disabled' && user.status !== 'on_hold') {
      user.status = !user.data_limit || user.used_traffic < user.data_limit ? 'active' : 'limited';
    }
  }
  if (body.expire !== undefined && body.expire !== null) {
    user.expire = (body.expire as number) || null;
    if (user.status === 'active' || user.status === 'expired') {
      user.status = !user.expire || user.expire > store.nowSec() ? 'active' : 'expired';
    }
  }
}

/** §5.3 with the upstream bug: only `expired` survives a reset (disabled becomes active). */
export function resetUser(store: MarzbanStore, user: StoredUser): EmulatorResponse {
  user.used_traffic = 0;
  if (user.status !== 'expired') user.status = 'active';
  user.next_plan = null;
  return { status: 200, json: store.response(user) };
}

/** §5.3 + §11.12: new secrets, `sub_revoked_at = now`, modify logic re-run. */
export function revokeUser(store: MarzbanStore, user: StoredUser): EmulatorResponse {
  user.subRevokedSec = store.nowSec();
  for (const [type, settings] of Object.entries(user.proxies)) {
    user.proxies[type] = store.fillProxy(type, {
      ...settings,
      id: type === 'vmess' || type === 'vless' ? randomUUID() : undefined,
      password: undefined,
    });
  }
  applyLimits(store, user, { expire: user.expire ?? 0 });
  return { status: 200, json: store.response(user) };
}
