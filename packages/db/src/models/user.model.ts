import { DataTypes, type Sequelize } from 'sequelize';
import { col, defineModel, type Creation } from './define.js';

/** A customer, keyed by Telegram id. */
export interface User {
  id: number;
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  languageCode: string | null;
  referrerId: number | null;
  /** Short URL-safe code used in `t.me/<bot>?start=ref_<code>` links. */
  referralCode: string;
  blocked: boolean;
  blockedReason: string | null;
  /** Set when the customer blocked our bot (Telegram answered 403). */
  botBlockedAt: Date | null;
  trialUsedAt: Date | null;
  /** When staff last gave the trial back (see `@vpn/backoffice` resetTrial); null if never. */
  trialResetAt: Date | null;
  /** Campaign tag from the deep link that brought the user in. */
  source: string | null;
  lastActivityAt: Date | null;
  email: string | null;
  /** The forum topic in the support group that belongs to this customer. */
  supportTopicId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Staff roles; what each may do is `@vpn/backoffice`'s permission table. `viewer` is read-only
 * (dashboards and cards), kept from the first schema.
 */
export type AdminRole = 'owner' | 'admin' | 'finance' | 'support' | 'marketing' | 'viewer';
export const ADMIN_ROLES: readonly AdminRole[] = ['owner', 'admin', 'finance', 'support', 'marketing', 'viewer'];

/** A staff member allowed into the admin/support bots. */
export interface Admin {
  id: number;
  telegramId: number;
  role: AdminRole;
  name: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function defineUserModels(sequelize: Sequelize) {
  const User = defineModel<User, Creation<User, Exclude<keyof User, 'telegramId' | 'referralCode'>>>(sequelize, 'User', 'users', {
    id: col.bigId,
    telegramId: col.reqBigint,
    username: col.text,
    firstName: col.text,
    lastName: col.text,
    languageCode: { type: DataTypes.STRING(8), allowNull: true },
    referrerId: col.bigint,
    referralCode: { type: DataTypes.STRING(16), allowNull: false },
    blocked: col.bool(false),
    blockedReason: col.text,
    botBlockedAt: col.date,
    trialUsedAt: col.date,
    trialResetAt: col.date,
    source: { type: DataTypes.STRING(64), allowNull: true },
    lastActivityAt: col.date,
    email: col.text,
    supportTopicId: col.bigint,
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  const Admin = defineModel<Admin, Creation<Admin, 'role' | 'name' | 'active'>>(sequelize, 'Admin', 'admins', {
    id: col.id,
    telegramId: col.reqBigint,
    role: col.enum(ADMIN_ROLES, 'viewer'),
    name: col.text,
    active: col.bool(true),
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  return { User, Admin };
}
