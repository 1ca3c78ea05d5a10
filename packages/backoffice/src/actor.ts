import type { AdminRole } from '@vpn/db';

/**
 * Who acts: a staff member from the admins table, as the support bot, the admin bot and the admin
 * API all know them. `adminId` is the admins row id (what audit entries record); the entry point
 * builds it from a fresh lookup (`loadActor`) so a removed admin or a changed role counts at once.
 */
export interface AdminActor {
  kind: 'admin';
  adminId: number;
  role: AdminRole;
}

export type Actor = AdminActor;

/** The actor as billing's subscription history names it: `admin:<admin id>`. */
export function actorTag(actor: Actor): string {
  return `${actor.kind}:${actor.adminId}`;
}
