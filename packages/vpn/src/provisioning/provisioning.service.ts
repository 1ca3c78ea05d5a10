import { VersionConflictError, type Database, type Subscription, type VpnAccount } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { PanelError, type PanelUser } from '../adapter.js';
import { panelDeadline } from '../http/deadline.js';
import type { ServerPool } from '../pool/server-pool.js';
import { DEFAULT_KEY_PREFIX, desiredSpec, panelUserKey } from './desired-state.js';
import { checkAccountLive, type LiveCheckVerdict } from './live-check.js';
import { reissueAccountKey, type ReissueResult } from './reissue.js';
import { retireOtherAccounts } from './retire-accounts.js';

export interface ProvisioningDeps {
  db: Pick<Database, 'repos' | 'transaction'>;
  pool: ServerPool;
  logger?: Logger;
  /** Panel user name prefix; default `vpn_s`. */
  keyPrefix?: string;
  now?: () => Date;
  /**
   * Time budget (ms) for all panel calls made while the account row is locked; default 15 s.
   * The lock lives in a transaction, so a stuck panel holds a PostgreSQL connection for as long
   * as its calls take — unbounded, that is every call's timeout (10 s) times the calls of an
   * ensure (login, read, write) times the retries, well past 30 s, and a few such jobs drain a
   * pool of 10 that settlement shares. Past the budget the call fails as a retryable 'timeout',
   * the transaction rolls back at once, and the queue retries with backoff (an ensure is
   * idempotent, so a write the panel applied is found on the retry).
   */
  lockedPanelBudgetMs?: number;
}

export interface ProvisionOptions {
  /** Why (billing's reason: purchase, renewal, expire, ... or `reconcile`); `renewal` may reset traffic. */
  reason?: string;
  /** Call the panel even if the account already reflects this version (reconciliation repairs drift). */
  force?: boolean;
}

export interface ProvisionResult {
  subscriptionId: number;
  /** `synced`: the panel now matches; `up_to_date`: it already did; `skipped`: nothing to do (closed and never created). */
  outcome: 'synced' | 'up_to_date' | 'skipped';
  account: VpnAccount | null;
  panelUser: PanelUser | null;
  trafficReset: boolean;
}

/** A subscription that cannot be provisioned; not worth retrying. */
export class ProvisioningError extends Error {
  constructor(
    readonly code: 'subscription_not_found' | 'not_active',
    message: string,
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}

/** Makes panels match subscriptions. The worker's provisioning processor calls `provision`. */
export interface ProvisioningService {
  /**
   * Makes the panel match the subscription as it is NOW in the database (whatever version the
   * job was for): places it on a server if it has none, upserts the vpn_accounts row by
   * (server, key), ensures the panel user (create or modify, never a second one), resets traffic
   * on a renewal when the plan says so, and marks the row synced with the version it reflects —
   * or failed, rethrowing so the queue retries. Safe to run twice or concurrently.
   */
  provision(subscriptionId: number, options?: ProvisionOptions): Promise<ProvisionResult>;
  /**
   * Revokes the customer's key on the panel and stores the new link / WireGuard config, once per
   * `requestId` (see `reissueAccountKey`). The account is ensured first; a subscription that is
   * not running fails with `not_active`.
   */
  reissue(subscriptionId: number, requestId: string): Promise<ReissueResult>;
  /** Reads the account from its panel within `budgetMs` and compares it with the database (see `checkAccountLive`). */
  checkLive(subscriptionId: number, budgetMs: number): Promise<LiveCheckVerdict>;
}

export function createProvisioningService(deps: ProvisioningDeps): ProvisioningService {
  const { repos } = deps.db;
  const prefix = deps.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const now = deps.now ?? (() => new Date());

  async function load(id: number): Promise<Subscription> {
    const sub = await repos.subscriptions.get(id);
    if (!sub) throw new ProvisioningError('subscription_not_found', `subscription ${id} does not exist`);
    return sub;
  }

  /** The subscription's server; placing it (once, even under concurrency) when it has none. */
  async function withServer(sub: Subscription): Promise<Subscription> {
    if (sub.serverId !== null) return sub;
    const server = await deps.pool.place();
    try {
      return await repos.subscriptions.update(sub.id, { serverId: server.id }, { expectedVersion: sub.version });
    } catch (error) {
      // Someone else changed it meanwhile (maybe placed it): take what is there now.
      if (!(error instanceof VersionConflictError)) throw error;
      return withServer(await load(sub.id));
    }
  }

  async function provision(subscriptionId: number, options: ProvisionOptions = {}): Promise<ProvisionResult> {
    let sub = await load(subscriptionId);
    const key = panelUserKey(sub.id, prefix);
    const plan = sub.planId === null ? null : await repos.plans.get(sub.planId);
    const skipped: ProvisionResult = { subscriptionId, outcome: 'skipped', account: null, panelUser: null, trafficReset: false };
    // A closed subscription that never had an account needs none. The row is written before any
    // panel call, so "no row" really means "never created on a panel".
    if (
      !desiredSpec(sub, plan, { key, now: now() }).enabled &&
      (sub.serverId === null || !(await repos.vpnAccounts.findByServerKey(sub.serverId, key)))
    ) {
      return skipped;
    }
    sub = await withServer(sub);
    const serverId = sub.serverId as number;
    const existed = await repos.vpnAccounts.findByServerKey(serverId, key);
    const account = await repos.vpnAccounts.upsertDesired({ subscriptionId, serverId, panelUserKey: key, desiredVersion: sub.version });
    // Approximate load for placement; reconciliation writes the exact count.
    if (!existed) await repos.servers.incrementUsersCount(serverId);
    const user = await repos.users.findById(sub.userId);
    const adapter = await deps.pool.adapterFor(serverId);

    let result: ProvisionResult;
    try {
      // The row lock serialises provisioning of this account across worker replicas for the
      // length of the panel call, so an older job can never overwrite a newer state on the panel.
      result = await deps.db.transaction(async (transaction) => {
        const locked = await repos.vpnAccounts.lockForUpdate(account.id, { transaction });
        const fresh = await repos.subscriptions.get(subscriptionId, { transaction });
        if (!locked || !fresh)
          throw new ProvisioningError('subscription_not_found', `subscription ${subscriptionId} vanished while provisioning`);
        if (!options.force && locked.syncState === 'synced' && (locked.syncedVersion ?? -1) >= fresh.version) {
          return { subscriptionId, outcome: 'up_to_date', account: locked, panelUser: null, trafficReset: false };
        }
        const spec = desiredSpec(fresh, plan, { key, now: now(), note: `sub ${fresh.id}${user ? ` tg ${user.telegramId}` : ''}` });
        const bounded = panelDeadline(deps.lockedPanelBudgetMs ?? 15_000);
        let panelUser = await bounded(() => adapter.ensureUser(spec));
        // Every new paid period (a renewal, or a purchase after expiry or after the trial) keeps
        // traffic unless the plan resets it; only once per version (a retry after
        // a successful sync finds the version applied and skips). Not gated on the usage the
        // adapter reports: a panel that under-reports it (3x-ui's clientStats: null) would keep a
        // used-up customer cut off, and a reset of zero usage costs one call.
        const resetDue =
          (options.reason === 'renewal' || options.reason === 'purchase') &&
          plan?.resetTrafficOnRenew === true &&
          locked.syncedVersion !== null &&
          locked.syncedVersion < fresh.version;
        if (resetDue) {
          await bounded(() => adapter.resetTraffic(key));
          panelUser = { ...panelUser, usedTrafficBytes: 0 };
        }
        const synced = await repos.vpnAccounts.markSynced(
          account.id,
          {
            version: fresh.version,
            panelId: panelUser.panelId,
            subscriptionUrl: panelUser.subscriptionUrl,
            links: panelUser.links,
            wireguardConfig: panelUser.wireguardConfig ?? null,
          },
          { transaction },
        );
        return { subscriptionId, outcome: 'synced', account: synced ?? locked, panelUser, trafficReset: resetDue };
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await repos.vpnAccounts.markFailed(account.id, message);
      deps.logger?.warn({ subscriptionId, serverId, key, err: error }, 'provisioning failed');
      throw error;
    }
    await retireOtherAccounts(deps, subscriptionId, serverId);
    deps.logger?.info({ subscriptionId, serverId, key, outcome: result.outcome, reason: options.reason }, 'provisioned');
    return result;
  }

  async function reissue(subscriptionId: number, requestId: string): Promise<ReissueResult> {
    const sub = await load(subscriptionId);
    const plan = sub.planId === null ? null : await repos.plans.get(sub.planId);
    if (!desiredSpec(sub, plan, { key: panelUserKey(sub.id, prefix), now: now() }).enabled) {
      throw new ProvisioningError('not_active', `subscription ${subscriptionId} is not running: no key to reissue`);
    }
    const ensured = await provision(subscriptionId, { reason: 'reissue' });
    if (!ensured.account) throw new ProvisioningError('not_active', `subscription ${subscriptionId} has no panel account`);
    try {
      return await reissueAccountKey(deps, ensured.account, requestId);
    } catch (error) {
      // The panel lost the user (a rotation that deletes and re-creates died half-way): make it
      // again, then finish the request on the account as it is now.
      if (!(error instanceof PanelError && error.code === 'not_found')) throw error;
      const again = await provision(subscriptionId, { reason: 'reissue', force: true });
      return reissueAccountKey(deps, again.account ?? ensured.account, requestId);
    }
  }

  const checkLive = (subscriptionId: number, budgetMs: number) =>
    checkAccountLive({ db: deps.db, pool: deps.pool, keyPrefix: prefix, now }, subscriptionId, budgetMs);
  return { provision, reissue, checkLive };
}
