import { z } from 'zod';
import { route } from '../http/route.js';
import type { RouteDeps } from './deps.js';

/** The append-only audit log, newest first, by admin, by customer or by entity. */
export function auditRoutes(deps: RouteDeps) {
  return [
    route({
      method: 'get',
      path: '/api/audit',
      summary: 'Audit entries, newest first; filter by admin, by customer (`entity=user&entityId=`) or entity; paged by `before`',
      tag: 'audit',
      access: 'audit:read',
      query: z.object({
        adminId: z.coerce.number().int().positive().optional(),
        entity: z
          .string()
          .regex(/^[a-z_]{1,32}$/)
          .optional(),
        entityId: z.string().max(64).optional(),
        before: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
      async handler(_ctx, { query }) {
        const items = await deps.db.repos.auditLog.list({
          ...(query.adminId ? { actorKind: 'admin', actorId: query.adminId } : {}),
          ...(query.entity ? { entity: query.entity } : {}),
          ...(query.entityId ? { entityId: query.entityId } : {}),
          ...(query.before ? { beforeId: query.before } : {}),
          limit: query.limit,
        });
        const last = items.at(-1);
        return { items, next: items.length === query.limit && last ? String(last.id) : null };
      },
    }),
  ];
}
