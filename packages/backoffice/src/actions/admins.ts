import type { Admin, AdminRole, Database, Transaction } from '@vpn/db';
import { ADMIN_ROLES } from '@vpn/db';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

/**
 * The actor for a Telegram user: their active admins row, or null (not staff). Entry points call
 * it on every update (or cache it for seconds), so a removed admin or a new role counts at once.
 */
export async function loadActor(db: Pick<Database, 'repos'>, telegramId: number): Promise<(Actor & { admin: Admin }) | null> {
  const admin = await db.repos.admins.findActiveByTelegramId(telegramId);
  return admin ? { kind: 'admin', adminId: admin.id, role: admin.role, admin } : null;
}

/**
 * `ADMIN_IDS` bootstraps owners before any exists: while the admins table has no active owner,
 * each listed Telegram id becomes an owner (audited as the system). Once an owner exists the list
 * changes nothing, so an owner removed from the bot does not come back on the next restart.
 */
export async function bootstrapOwners(db: Pick<Database, 'repos' | 'transaction'>, telegramIds: readonly number[]): Promise<Admin[]> {
  if (telegramIds.length === 0) return [];
  return db.transaction(async (tx) => {
    const all = await db.repos.admins.list({ transaction: tx });
    if (all.some((a) => a.active && a.role === 'owner')) return [];
    const made: Admin[] = [];
    for (const telegramId of telegramIds) {
      const { admin } = await db.repos.admins.upsert({ telegramId, role: 'owner' }, { transaction: tx });
      await db.repos.auditLog.append(
        {
          actorKind: 'system',
          action: 'admin.bootstrap',
          entity: 'admin',
          entityId: String(admin.id),
          data: { after: { telegramId, role: 'owner' } },
        },
        { transaction: tx },
      );
      made.push(admin);
    }
    return made;
  });
}

const isRole = (role: unknown): role is AdminRole => typeof role === 'string' && (ADMIN_ROLES as readonly string[]).includes(role);

/** Adds a staff member or changes their role and name (`admins:write`); re-activates a removed one. */
export async function saveAdmin(
  ctx: BackofficeContext,
  actor: Actor,
  input: { telegramId: number; role: AdminRole; name?: string | null },
): Promise<Admin> {
  authorize(actor, 'admins:write');
  const telegramId = v.intIn('telegramId', input.telegramId, 1, 9_999_999_999_999);
  if (!isRole(input.role))
    throw new BackofficeError('INVALID_INPUT', `role: must be one of ${ADMIN_ROLES.join(', ')}`, 'role', { allowed: ADMIN_ROLES });
  const name = input.name == null || input.name === '' ? null : v.text('name', input.name, 1, 64);
  return ctx.db.transaction(async (tx) => {
    const before = await ctx.db.repos.admins.findByTelegramId(telegramId, { transaction: tx });
    if (before?.id === actor.adminId && input.role !== 'owner') await keepAnOwner(ctx, tx, before.id);
    const { admin } = await ctx.db.repos.admins.upsert({ telegramId, role: input.role, name }, { transaction: tx });
    await audit(ctx.db.repos, tx, actor, {
      action: before ? 'admin.update' : 'admin.create',
      entity: 'admin',
      entityId: admin.id,
      before: before ? { role: before.role, active: before.active, name: before.name } : null,
      after: { telegramId, role: admin.role, active: admin.active, name: admin.name },
    });
    return admin;
  });
}

/** Removes a staff member's access (`admins:write`): the row stays for the audit log, inactive. The last owner stays. */
export async function removeAdmin(ctx: BackofficeContext, actor: Actor, input: { adminId: number }): Promise<Admin> {
  authorize(actor, 'admins:write');
  const adminId = v.id('adminId', input.adminId);
  return ctx.db.transaction(async (tx) => {
    const all = await ctx.db.repos.admins.list({ transaction: tx });
    const target = all.find((a) => a.id === adminId);
    if (!target) throw new BackofficeError('NOT_FOUND', `admin ${adminId} not found`, 'adminId');
    if (target.role === 'owner') await keepAnOwner(ctx, tx, adminId);
    await ctx.db.repos.admins.setActive(target.telegramId, false, { transaction: tx });
    await audit(ctx.db.repos, tx, actor, {
      action: 'admin.remove',
      entity: 'admin',
      entityId: adminId,
      before: { role: target.role, active: target.active },
      after: { role: target.role, active: false },
    });
    return { ...target, active: false };
  });
}

/** Refuses a change that would leave no active owner (nobody could manage staff any more). */
async function keepAnOwner(ctx: BackofficeContext, tx: Transaction, leaving: number): Promise<void> {
  const owners = (await ctx.db.repos.admins.list({ transaction: tx })).filter((a) => a.active && a.role === 'owner' && a.id !== leaving);
  if (owners.length === 0) throw new BackofficeError('NOT_ALLOWED', 'the last owner cannot be removed or demoted', 'adminId');
}
