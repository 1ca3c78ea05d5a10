import type { AdminRole } from '@vpn/db';
import type { Actor } from './actor.js';
import { BackofficeError } from './errors.js';

/**
 * Every permission, `resource:action`. One list, one table of roles, one check ({@link authorize})
 * that every entry point goes through: the support card, the admin bot and the admin API.
 */
export const PERMISSIONS = [
  'dashboard:read',
  'audit:read',
  'customers:read',
  'customers:export',
  'customers:extend',
  'customers:shorten',
  'customers:grant_plan',
  'customers:block',
  'customers:reissue',
  'customers:reset_traffic',
  'customers:move',
  'customers:reset_trial',
  'customers:message',
  /** Credit or debit a customer's balance with a reason. */
  'customers:adjust_balance',
  'payments:read',
  'payments:export',
  'payments:refund',
  'plans:read',
  'plans:write',
  'promo:read',
  'promo:write',
  'faq:read',
  'faq:write',
  'servers:read',
  'servers:write',
  'settings:read',
  'settings:write',
  'broadcasts:read',
  'broadcasts:write',
  'admins:read',
  'admins:write',
  /** The job queues' board (Bull Board): retry, promote, clean or remove jobs. */
  'queues:manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const READS: Permission[] = ['dashboard:read', 'customers:read', 'payments:read', 'plans:read', 'promo:read', 'faq:read', 'servers:read'];

/**
 * What each role may do. owner: everything; admin: everything but managing staff; finance: money
 * (payments, refunds, exports) and the customer card; support: the customer card's care actions
 * (extend as a compensation, reissue, reset traffic, move, block, message) without money or
 * commercial changes; marketing: promo codes, FAQ and broadcasts; viewer: read-only.
 */
export const ROLE_PERMISSIONS: Readonly<Record<AdminRole, ReadonlySet<Permission>>> = {
  owner: new Set(PERMISSIONS),
  admin: new Set(PERMISSIONS.filter((p) => p !== 'admins:write')),
  finance: new Set<Permission>([
    ...READS,
    'audit:read',
    'customers:export',
    'customers:adjust_balance',
    'payments:export',
    'payments:refund',
  ]),
  support: new Set<Permission>([
    ...READS,
    'customers:extend',
    'customers:block',
    'customers:reissue',
    'customers:reset_traffic',
    'customers:move',
    'customers:reset_trial',
    'customers:message',
  ]),
  marketing: new Set<Permission>([...READS, 'promo:write', 'faq:write', 'broadcasts:read', 'broadcasts:write']),
  viewer: new Set<Permission>(READS),
};

/** Whether `actor` may do `permission`. */
export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  return actor != null && (ROLE_PERMISSIONS[actor.role]?.has(permission) ?? false);
}

/** The check every action starts with. @throws BackofficeError `FORBIDDEN` */
export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission))
    throw new BackofficeError('FORBIDDEN', `role ${actor.role} may not ${permission}`, undefined, { permission, role: actor.role });
}
