import { DataTypes, type Sequelize } from 'sequelize';
import { col, defineModel, type Creation } from './define.js';
import { PAYMENT_PROVIDERS, type PaymentProvider } from './payment.model.js';

export type SubscriptionStatus = 'pending' | 'active' | 'expired' | 'suspended' | 'cancelled';
export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['pending', 'active', 'expired', 'suspended', 'cancelled'];
/** Statuses that count as the user's one "live" subscription (enforced by a partial unique index). */
export const LIVE_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['pending', 'active', 'suspended'];

/** The desired state of a customer's access; panels are made to match it. */
export interface Subscription {
  id: number;
  userId: number;
  /** null for a trial. */
  planId: number | null;
  serverId: number | null;
  status: SubscriptionStatus;
  isTrial: boolean;
  startsAt: Date | null;
  endsAt: Date | null;
  autoRenew: boolean;
  savedPaymentMethodId: string | null;
  savedPaymentProvider: PaymentProvider | null;
  renewalFailures: number;
  nextRenewalAttemptAt: Date | null;
  trafficLimitBytes: number | null;
  deviceLimit: number | null;
  /** Bumped on every change; VPN accounts record which version they reflect. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One lifecycle change of a subscription (created, extended, expired, ...). */
export interface SubscriptionEvent {
  id: number;
  subscriptionId: number;
  kind: string;
  fromStatus: SubscriptionStatus | null;
  toStatus: SubscriptionStatus | null;
  fromEndsAt: Date | null;
  toEndsAt: Date | null;
  paymentId: string | null;
  /** Who did it: `system`, `user:<id>`, `admin:<telegram id>`, `payment:<id>`... */
  actor: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

export type VpnSyncState = 'pending' | 'synced' | 'failed' | 'deleting' | 'deleted';
export const VPN_SYNC_STATES: readonly VpnSyncState[] = ['pending', 'synced', 'failed', 'deleting', 'deleted'];

/** A user account on a panel that realises a subscription. */
export interface VpnAccount {
  id: number;
  subscriptionId: number;
  serverId: number;
  /** The panel's username, derived from our ids so a retry never creates a second account. */
  panelUserKey: string;
  panelId: string | null;
  subscriptionUrl: string | null;
  links: string[];
  wireguardConfig: string | null;
  syncState: VpnSyncState;
  /** Subscription version this account should reflect. */
  desiredVersion: number;
  /** Subscription version last applied to the panel successfully. */
  syncedVersion: number | null;
  lastSyncedAt: Date | null;
  lastError: string | null;
  /** The key reissue a worker last started (a request id); see `reissueCount`. */
  reissueRequest: string | null;
  /** The key reissue whose new key is stored; equal to `reissueRequest` unless one is under way. */
  reissuedRequest: string | null;
  /** Key reissues completed. */
  reissueCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A traffic sample taken from a panel. */
export interface UsageSnapshot {
  id: number;
  vpnAccountId: number;
  usedBytes: number;
  onlineAt: Date | null;
  takenAt: Date;
}

export function defineSubscriptionModels(sequelize: Sequelize) {
  const Subscription = defineModel<Subscription, Creation<Subscription, Exclude<keyof Subscription, 'userId'>>>(
    sequelize,
    'Subscription',
    'subscriptions',
    {
      id: col.bigId,
      userId: col.reqBigint,
      planId: col.int,
      serverId: col.int,
      status: col.enum(SUBSCRIPTION_STATUSES, 'pending'),
      isTrial: col.bool(false),
      startsAt: col.date,
      endsAt: col.date,
      autoRenew: col.bool(false),
      savedPaymentMethodId: col.text,
      savedPaymentProvider: col.nullableEnum(PAYMENT_PROVIDERS),
      renewalFailures: col.intDefault(0),
      nextRenewalAttemptAt: col.date,
      trafficLimitBytes: col.bigint,
      deviceLimit: col.int,
      version: col.intDefault(1),
      createdAt: col.stamp,
      updatedAt: col.stamp,
    },
  );
  const SubscriptionEvent = defineModel<
    SubscriptionEvent,
    Creation<SubscriptionEvent, Exclude<keyof SubscriptionEvent, 'subscriptionId' | 'kind'>>
  >(
    sequelize,
    'SubscriptionEvent',
    'subscription_events',
    {
      id: col.bigId,
      subscriptionId: col.reqBigint,
      kind: { type: DataTypes.STRING(32), allowNull: false },
      fromStatus: col.nullableEnum(SUBSCRIPTION_STATUSES),
      toStatus: col.nullableEnum(SUBSCRIPTION_STATUSES),
      fromEndsAt: col.date,
      toEndsAt: col.date,
      paymentId: { type: DataTypes.UUID, allowNull: true },
      actor: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'system' },
      data: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
      createdAt: col.stamp,
    },
    { updatedAt: false },
  );
  const VpnAccount = defineModel<
    VpnAccount,
    Creation<VpnAccount, Exclude<keyof VpnAccount, 'subscriptionId' | 'serverId' | 'panelUserKey'>>
  >(sequelize, 'VpnAccount', 'vpn_accounts', {
    id: col.bigId,
    subscriptionId: col.reqBigint,
    serverId: col.reqInt,
    panelUserKey: col.reqText,
    panelId: col.text,
    subscriptionUrl: col.text,
    // Stored as one ciphertext of the JSON array (NULL when empty); only the repository decodes it.
    links: { type: DataTypes.TEXT, allowNull: true },
    wireguardConfig: col.text,
    syncState: col.enum(VPN_SYNC_STATES, 'pending'),
    desiredVersion: col.intDefault(0),
    syncedVersion: col.int,
    lastSyncedAt: col.date,
    lastError: col.text,
    reissueRequest: col.text,
    reissuedRequest: col.text,
    reissueCount: col.intDefault(0),
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  const UsageSnapshot = defineModel<UsageSnapshot, Creation<UsageSnapshot, 'onlineAt' | 'takenAt'>>(
    sequelize,
    'UsageSnapshot',
    'usage_snapshots',
    {
      id: col.bigId,
      vpnAccountId: col.reqBigint,
      usedBytes: col.reqBigint,
      onlineAt: col.date,
      takenAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    },
    { timestamps: false },
  );
  return { Subscription, SubscriptionEvent, VpnAccount, UsageSnapshot };
}
