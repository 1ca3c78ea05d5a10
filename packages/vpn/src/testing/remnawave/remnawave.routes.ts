import { parseBody, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-server.js';
import { ERRORS, RemnawaveEmuError, type EmuUser, type RemnawaveStore } from './remnawave.store.js';
import { isUuid, str, parseCreate, parseUpdate, ValidationFailed, validationResponse } from './remnawave.validate.js';
import { userView, type ApiShape } from './remnawave.view.js';

export interface RouteContext {
  store: RemnawaveStore;
  shape: ApiShape;
  /** Reported by the metadata route; mutable (tests switch it). */
  version: string;
  serveMetadata: boolean;
  nodes: Array<{ uuid: string; name: string; connected: boolean }>;
  now: () => Date;
}

/** The panel's business error body (specs/remnawave.md §3). */
export function businessError(req: EmulatorRequest, status: number, errorCode: string, message: string): EmulatorResponse {
  return { status, json: { timestamp: new Date().toISOString(), path: req.path, message, errorCode } };
}

/** Turns thrown panel errors into their HTTP answers, so handlers read as the happy path. */
function handle(fn: (req: EmulatorRequest) => EmulatorResponse): (req: EmulatorRequest) => EmulatorResponse {
  return (req) => {
    try {
      return fn(req);
    } catch (error) {
      if (error instanceof ValidationFailed) return validationResponse(error);
      if (error instanceof RemnawaveEmuError) return businessError(req, error.status, error.errorCode, error.message);
      throw error;
    }
  };
}

const ok = (response: unknown, status = 200): EmulatorResponse => ({ status, json: { response } });

/** Every route of specs/remnawave.md §5 the emulator serves, with the 2.x differences of §8. */
export function remnawaveRoutes(ctx: RouteContext): Route[] {
  const { store, shape } = ctx;
  const view = (user: EmuUser): Record<string, unknown> => userView(user, store.squads, shape);
  const known = new Set(store.squads.map((s) => s.uuid));

  /** `{id}` is numeric in 3.x and a uuid in 2.x; anything else fails validation. */
  function byPathId(raw: string | undefined): EmuUser {
    const value = raw ?? '';
    if (shape.generation === 3 && !/^\d+$/.test(value)) throw new ValidationFailed([{ path: ['id'], message: 'Expected number' }]);
    if (shape.generation === 2 && !isUuid(value)) throw new ValidationFailed([{ path: ['uuid'], message: 'Invalid uuid' }]);
    const user = shape.generation === 3 ? store.byId(Number(value)) : store.byUuid(value);
    if (!user) throw ERRORS.notFound();
    return user;
  }

  function byBodyIdentity(body: Record<string, unknown>): EmuUser {
    const key = shape.generation === 3 ? 'id' : 'uuid';
    let user: EmuUser | undefined;
    if (body[key] !== undefined) user = shape.generation === 3 ? store.byId(Number(body[key])) : store.byUuid(str(body[key]));
    else if (typeof body.username === 'string') user = store.byUsername(body.username);
    else throw new ValidationFailed([{ path: [key], message: `${key} or username is required` }]);
    if (!user) throw ERRORS.notFound();
    return user;
  }

  const actions: Record<string, (user: EmuUser, body: Record<string, unknown>) => EmuUser> = {
    enable: (user) => store.enable(user),
    disable: (user) => store.disable(user),
    'reset-traffic': (user) => store.resetTraffic(user),
    revoke: (user, body) =>
      store.revoke(user, {
        revokeOnlyPasswords: body.revokeOnlyPasswords === true,
        shortUuid: typeof body.shortUuid === 'string' ? body.shortUuid : undefined,
      }),
  };
  if (shape.generation === 3) {
    actions.extend = (user, body) => {
      const days = body.days;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1)
        throw new ValidationFailed([{ path: ['days'], message: 'Expected days ≥ 1' }]);
      return store.extend(user, days);
    };
  }

  const routes: Route[] = [
    { method: 'GET', path: '/api/system/health', handler: () => ok({ pm2Stats: [{ name: 'remnawave', memory: '120 MB', cpu: '1' }] }) },
    { method: 'GET', path: '/api/system/stats', handler: () => ok(systemStats(ctx)) },
    {
      method: 'GET',
      path: '/api/nodes',
      handler: () =>
        ok(
          ctx.nodes.map((n) => ({
            uuid: n.uuid,
            name: n.name,
            address: '127.0.0.1',
            port: 2222,
            isConnected: n.connected,
            isDisabled: false,
            isConnecting: false,
          })),
        ),
    },
    {
      method: 'GET',
      path: '/api/internal-squads',
      handler: () =>
        ok({
          total: store.squads.length,
          internalSquads: store.squads.map((s) => ({
            ...s,
            info: { membersCount: store.all().filter((u) => u.squads.includes(s.uuid)).length, inboundsCount: 1 },
          })),
        }),
    },
    { method: 'POST', path: '/api/users', handler: handle((req) => ok(view(store.create(parseCreate(parseBody(req), known))), 201)) },
    {
      method: 'PATCH',
      path: '/api/users',
      handler: handle((req) => {
        const body = parseBody(req) ?? {};
        const user = byBodyIdentity(body);
        return ok(view(store.update(user, parseUpdate(body, known, ctx.now()))));
      }),
    },
    { method: 'GET', path: '/api/users', handler: handle((req) => ok(listUsers(ctx, req, view))) },
    {
      method: 'GET',
      path: '/api/users/by-username/:username',
      handler: handle((req) => ok(view(found(store.byUsername(req.params.username ?? ''))))),
    },
    {
      method: 'GET',
      path: '/api/users/by-short-uuid/:shortUuid',
      handler: handle((req) => ok(view(found(store.byShortUuid(req.params.shortUuid ?? ''))))),
    },
    {
      method: 'POST',
      path: '/api/users/resolve',
      handler: handle((req) => {
        const body = parseBody(req) ?? {};
        const user =
          body.username !== undefined
            ? store.byUsername(str(body.username))
            : body.shortUuid !== undefined
              ? store.byShortUuid(str(body.shortUuid))
              : byPathId(str(body.id ?? body.uuid));
        const u = found(user);
        return ok({ id: u.id, username: u.username, shortUuid: u.shortUuid, ...(shape.generation === 2 ? { uuid: u.uuid } : {}) });
      }),
    },
    { method: 'GET', path: '/api/users/:id', handler: handle((req) => ok(view(byPathId(req.params.id)))) },
    {
      method: 'DELETE',
      path: '/api/users/:id',
      handler: handle((req) => {
        store.remove(byPathId(req.params.id));
        // 3.x answers 204 with no body; 2.x 200 {response:{isDeleted:true}} (§8).
        return shape.generation === 3 ? { status: 204 } : ok({ isDeleted: true });
      }),
    },
    {
      method: 'POST',
      path: '/api/users/:id/actions/:action',
      handler: handle((req) => {
        const action = actions[req.params.action ?? ''];
        if (!action) return { status: 404, json: { message: `Cannot POST ${req.path}`, error: 'Not Found', statusCode: 404 } };
        return ok(view(action(byPathId(req.params.id), parseBody(req) ?? {})));
      }),
    },
    {
      method: 'GET',
      path: '/api/hwid/devices/:id',
      handler: handle((req) => {
        const user = byPathId(req.params.id);
        return ok({ total: user.devices.length, devices: user.devices.map((d) => deviceView(user, d, shape)) });
      }),
    },
    { method: 'POST', path: '/api/hwid/devices/delete', handler: handle((req) => deleteDevices(req, false)) },
    { method: 'POST', path: '/api/hwid/devices/delete-all', handler: handle((req) => deleteDevices(req, true)) },
  ];

  function deleteDevices(req: EmulatorRequest, all: boolean): EmulatorResponse {
    const body = parseBody(req) ?? {};
    const user = byPathId(str(shape.generation === 3 ? body.userId : body.userUuid));
    user.devices = all ? [] : user.devices.filter((d) => d.hwid !== body.hwid);
    return ok({ total: user.devices.length, devices: user.devices.map((d) => deviceView(user, d, shape)) });
  }

  if (ctx.serveMetadata) {
    routes.unshift({
      method: 'GET',
      path: '/api/system/metadata',
      handler: () =>
        ok({
          version: ctx.version,
          build: { time: '2025-01-01T00:00:00.000Z', number: '1' },
          git: { backend: { commitSha: 'emulator', branch: 'main', commitUrl: '' }, frontend: { commitSha: 'emulator', commitUrl: '' } },
        }),
    });
  }
  return routes;
}

function found(user: EmuUser | undefined): EmuUser {
  if (!user) throw ERRORS.notFound();
  return user;
}

function deviceView(user: EmuUser, device: EmuUser['devices'][number], shape: ApiShape): Record<string, unknown> {
  const owner = shape.generation === 3 ? { userId: user.id } : { userUuid: user.uuid };
  const at = device.createdAt.toISOString();
  return {
    hwid: device.hwid,
    ...owner,
    platform: device.platform,
    osVersion: null,
    deviceModel: null,
    userAgent: null,
    requestIp: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** `GET /api/users?start&size&filters`: substring filters as the panel does them (§5.4). */
function listUsers(ctx: RouteContext, req: EmulatorRequest, view: (u: EmuUser) => Record<string, unknown>): unknown {
  const start = Number(req.query.get('start') ?? 0);
  const size = Number(req.query.get('size') ?? 25);
  if (!Number.isInteger(start) || start < 0) throw new ValidationFailed([{ path: ['start'], message: 'Expected start ≥ 0' }]);
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    throw new ValidationFailed([{ path: ['size'], message: 'Expected 1 ≤ size ≤ 1000' }]);
  let users = ctx.store.all();
  const filters = req.query.get('filters');
  if (filters) {
    let parsed: Array<{ id: string; value: unknown }>;
    try {
      parsed = JSON.parse(filters) as Array<{ id: string; value: unknown }>;
    } catch {
      throw new ValidationFailed([{ path: ['filters'], message: 'Invalid JSON' }]);
    }
    for (const f of parsed) users = users.filter((u) => str((u as unknown as Record<string, unknown>)[f.id]).includes(str(f.value)));
  }
  return { users: users.slice(start, start + size).map(view), total: users.length };
}

function systemStats(ctx: RouteContext): unknown {
  const users = ctx.store.all();
  const count = (s: string): number => users.filter((u) => u.status === s).length;
  const dayAgo = ctx.now().getTime() - 86_400_000;
  const onlineNow = users.filter((u) => u.onlineAt && u.onlineAt.getTime() > ctx.now().getTime() - 60_000).length;
  return {
    cpu: { cores: 2 },
    memory: { total: 4_000_000_000, free: 2_000_000_000, used: 2_000_000_000 },
    uptime: 3600,
    timestamp: ctx.now().getTime(),
    users: {
      statusCounts: { ACTIVE: count('ACTIVE'), DISABLED: count('DISABLED'), LIMITED: count('LIMITED'), EXPIRED: count('EXPIRED') },
      totalUsers: users.length,
    },
    onlineStats: {
      lastDay: users.filter((u) => u.onlineAt && u.onlineAt.getTime() > dayAgo).length,
      lastWeek: users.filter((u) => u.onlineAt && u.onlineAt.getTime() > dayAgo - 6 * 86_400_000).length,
      neverOnline: users.filter((u) => !u.onlineAt).length,
      onlineNow,
    },
    nodes: {
      totalOnline: ctx.nodes.filter((n) => n.connected).length,
      totalBytesLifetime: String(users.reduce((s, u) => s + u.lifetimeUsedTrafficBytes, 0)),
    },
  };
}
