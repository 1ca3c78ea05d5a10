import { PANEL_KINDS, type PanelKind } from '@vpn/db';
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import { route } from '../http/route.js';
import type { RouteDeps } from './deps.js';

const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

/**
 * What an operator types to register a panel; the back office validates it again (one set of
 * rules for the bot and the API) and names the field it refuses.
 */
const draft = z.object({
  name: z.string().min(1).max(64),
  panelKind: z.enum(PANEL_KINDS as [PanelKind, ...PanelKind[]]),
  baseUrl: z.string().min(1).max(500),
  credentials: z.record(z.string().max(32), z.string().max(500)),
  settings: z.record(z.string(), z.unknown()).optional(),
  countryCode: z.string().max(2).nullable().optional(),
  capacity: z.number().int().positive().nullable().optional(),
});

/** Panels: list with load, one server, connection test, add (tested first), enable/disable/drain/resize, a health check now. */
export function serverRoutes(deps: RouteDeps) {
  const { db, backoffice } = deps;
  return [
    route({
      method: 'get',
      path: '/api/servers',
      summary: 'Every server with its health and load (`usersCount`); credentials are never returned',
      tag: 'servers',
      access: 'servers:read',
      async handler() {
        return { items: await db.repos.servers.list() };
      },
    }),
    route({
      method: 'get',
      path: '/api/servers/:id',
      summary: 'One server with its health and load',
      tag: 'servers',
      access: 'servers:read',
      params: idParam,
      async handler(_ctx, { params }) {
        const server = await db.repos.servers.get(params.id);
        if (!server) throw new ApiError(404, 'not_found', `server ${params.id} not found`);
        return server;
      },
    }),
    route({
      method: 'post',
      path: '/api/servers/test',
      summary: 'Test a panel’s connection and credentials without saving anything',
      tag: 'servers',
      access: 'servers:write',
      body: draft,
      handler: (ctx, { body }) => backoffice.servers.test(ctx.state.auth.actor, body),
    }),
    route({
      method: 'post',
      path: '/api/servers',
      summary: 'Register a panel: the connection test runs first and a panel that is down is not saved',
      tag: 'servers',
      access: 'servers:write',
      body: draft,
      status: 201,
      handler: (ctx, { body }) => backoffice.servers.add(ctx.state.auth.actor, body),
    }),
    route({
      method: 'patch',
      path: '/api/servers/:id',
      summary: 'Enable or disable, drain (weight 0) or resize a server',
      tag: 'servers',
      access: 'servers:write',
      params: idParam,
      body: z.object({
        active: z.boolean().optional(),
        weight: z.number().int().min(0).max(1_000).optional(),
        capacity: z.number().int().positive().nullable().optional(),
      }),
      handler: (ctx, { params, body }) => backoffice.servers.update(ctx.state.auth.actor, { serverId: params.id, ...body }),
    }),
    route({
      method: 'post',
      path: '/api/servers/:id/check',
      summary: 'Probe a saved server now and record its health',
      tag: 'servers',
      access: 'servers:read',
      params: idParam,
      body: z.object({}).optional(),
      handler: (ctx, { params }) => backoffice.servers.check(ctx.state.auth.actor, { serverId: params.id }),
    }),
  ];
}
