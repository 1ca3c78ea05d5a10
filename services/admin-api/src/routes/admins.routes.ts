import { ADMIN_ROLES, type AdminRole } from '@vpn/db';
import { z } from 'zod';
import { route } from '../http/route.js';
import type { RouteDeps } from './deps.js';

/**
 * Staff: who has access and with which role. Adding, changing a role and removing are the owner's
 * (`admins:write`), through the same back-office calls as the admin bot; a removed admin's
 * sessions stop at their next request (the API reads the admin afresh each time).
 */
export function adminRoutes(deps: RouteDeps) {
  const { db, backoffice } = deps;
  return [
    route({
      method: 'get',
      path: '/api/admins',
      summary: 'Staff members, active first, with their roles',
      tag: 'admins',
      access: 'admins:read',
      async handler() {
        const all = await db.repos.admins.list();
        return { items: [...all].sort((a, b) => Number(b.active) - Number(a.active) || a.id - b.id) };
      },
    }),
    route({
      method: 'put',
      path: '/api/admins/:telegramId',
      summary: 'Add a staff member or change their role and name (a removed one is re-activated)',
      tag: 'admins',
      access: 'admins:write',
      params: z.object({ telegramId: z.coerce.number().int().positive().max(9_999_999_999_999) }),
      body: z.object({ role: z.enum(ADMIN_ROLES as [AdminRole, ...AdminRole[]]), name: z.string().max(64).nullable().optional() }),
      handler: (ctx, { params, body }) =>
        backoffice.admins.save(ctx.state.auth.actor, { telegramId: params.telegramId, role: body.role, name: body.name ?? null }),
    }),
    route({
      method: 'delete',
      path: '/api/admins/:id',
      summary: 'Remove a staff member’s access (the last owner stays)',
      tag: 'admins',
      access: 'admins:write',
      params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }),
      handler: (ctx, { params }) => backoffice.admins.remove(ctx.state.auth.actor, { adminId: params.id }),
    }),
  ];
}
