import type { Database, Plan, Server, Subscription, VpnAccount } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { PanelError, type PanelAdapter } from '../adapter.js';
import type { ServerPool } from '../pool/server-pool.js';
import { DEFAULT_KEY_PREFIX, desiredSpec, panelUserKey, subscriptionIdFromKey } from '../provisioning/desired-state.js';
import type { ProvisioningService } from '../provisioning/provisioning.service.js';
import { compareUser, type DriftItem } from './drift.js';

export interface ReconcilerDeps {
  db: Pick<Database, 'repos'>;
  pool: ServerPool;
  provisioning: ProvisioningService;
  logger?: Logger;
  keyPrefix?: string;
  /** Expiry differences up to this are rounding, not drift; default 60 s. */
  expiryToleranceMs?: number;
  /** Panel users listed, and accounts read, per page; default 200. Memory per server stays one page of each side. */
  pageSize?: number;
  /**
   * A running subscription without a synced account is reported only once it has been unchanged
   * this long (default 15 min): a fresh purchase whose provisioning job is still queued is not drift.
   */
  unsyncedAfterMs?: number;
  now?: () => Date;
}

/** A dry run: what differs, changing nothing. Hand it to `repair` to fix it. */
export interface DriftReport {
  generatedAt: Date;
  servers: Array<{ serverId: number; name: string; accounts: number; panelUsers: number; version?: string; error?: string }>;
  items: DriftItem[];
}

export type OrphanPolicy = 'disable' | 'delete' | 'keep';

export interface RepairResult {
  /** Subscriptions re-provisioned (missing or drifted accounts). */
  provisioned: number[];
  orphansDisabled: string[];
  orphansDeleted: string[];
  /** vpn_accounts rows marked deleted because their panel user was already gone. */
  rowsFinalised: number[];
  failures: Array<{ item: DriftItem; error: string }>;
}

export interface Reconciler {
  /** Compares every server's panel with the database (or only `serverIds`). Changes nothing. */
  report(options?: { serverIds?: number[] }): Promise<DriftReport>;
  /**
   * Fixes what a report found: re-provisions missing, unsynced and drifted accounts (the database wins);
   * panel users with our prefix but no account are disabled, deleted or kept per `orphans`
   * (default disable); accounts the database is retiring are deleted. Then writes each
   * server's real account count.
   */
  repair(report: DriftReport, options?: { orphans?: OrphanPolicy }): Promise<RepairResult>;
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const { repos } = deps.db;
  const prefix = deps.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const tolerance = deps.expiryToleranceMs ?? 60_000;
  const pageSize = deps.pageSize ?? 200;
  const unsyncedAfterMs = deps.unsyncedAfterMs ?? 15 * 60_000;
  const now = deps.now ?? (() => new Date());

  /** Running subscriptions without a synced account on their server (the query pages by id). */
  async function unsyncedSubscriptions(serverIds: number[] | undefined): Promise<Subscription[]> {
    const at = now();
    const changedBefore = new Date(at.getTime() - unsyncedAfterMs);
    const all: Subscription[] = [];
    for (let afterId = 0; ;) {
      const page = await repos.subscriptions.listRunningWithoutSyncedAccount({ now: at, changedBefore, afterId, limit: 500 });
      all.push(...page);
      if (page.length < 500) break;
      afterId = page[page.length - 1]?.id ?? afterId;
    }
    return serverIds ? all.filter((s) => s.serverId !== null && serverIds.includes(s.serverId)) : all;
  }

  /** One `no_synced_account` item, unless the subscription already has a more specific one. */
  async function unsyncedItem(sub: Subscription, items: DriftItem[]): Promise<DriftItem | null> {
    if (items.some((i) => i.subscriptionId === sub.id)) return null;
    const key = panelUserKey(sub.id, prefix);
    const row = sub.serverId === null ? null : await repos.vpnAccounts.findByServerKey(sub.serverId, key);
    return {
      kind: 'no_synced_account',
      serverId: sub.serverId,
      key,
      accountId: row?.id ?? null,
      subscriptionId: sub.id,
      actual: { syncState: row?.syncState ?? null, lastError: row?.lastError ?? null },
    };
  }

  /**
   * One server's drift, compared in pages so memory does not grow with the server: a page of the
   * panel's users, then that page's accounts (one statement) and their subscriptions (one
   * statement), plans from a cache; then the server's accounts the panel did not list, page by
   * page. What is kept across pages is the set of keys seen on the panel (a few MB at 100 k users)
   * and the drift found. `claimed`: keys of this server's unsynced subscriptions, whose panel users
   * are not orphans.
   */
  async function driftOf(
    server: Server,
    adapter: PanelAdapter,
    version: string,
    claimed: Set<string>,
  ): Promise<{ items: DriftItem[]; accounts: number; panelUsers: number }> {
    const items: DriftItem[] = [];
    const seen = new Set<string>();
    const plans = new Map<number, Plan | null>();
    const planOf = async (planId: number | null) => {
      if (planId === null) return null;
      if (!plans.has(planId)) plans.set(planId, await repos.plans.get(planId));
      return plans.get(planId) ?? null;
    };
    const subscriptionsOf = async (accounts: VpnAccount[]) =>
      new Map((await repos.subscriptions.listByIds([...new Set(accounts.map((a) => a.subscriptionId))])).map((s) => [s.id, s]));
    /** A row being retired, or left behind by a move: it should not exist on this panel. */
    const retiring = (account: VpnAccount, sub: Subscription) => account.syncState === 'deleting' || sub.serverId !== server.id;

    for (let offset = 0; ; offset += pageSize) {
      const page = await adapter.listUsers({ offset, limit: pageSize });
      // Only names we make: an operator's own panel users are none of our business.
      const ours = page.users.filter((user) => subscriptionIdFromKey(user.key, prefix) !== null);
      const rows = await repos.vpnAccounts.listByServerKeys(server.id, [...new Set(ours.flatMap((u) => [u.key, u.key.toLowerCase()]))]);
      const rowByKey = new Map(rows.map((a) => [a.panelUserKey.toLowerCase(), a]));
      const subs = await subscriptionsOf(rows);
      for (const user of ours) {
        const lower = user.key.toLowerCase();
        seen.add(lower);
        const account = rowByKey.get(lower);
        const sub = account ? subs.get(account.subscriptionId) : undefined;
        if (account && sub && !retiring(account, sub)) {
          const desired = desiredSpec(sub, await planOf(sub.planId), { key: account.panelUserKey, now: now() });
          const base = { serverId: server.id, key: account.panelUserKey, accountId: account.id, subscriptionId: sub.id };
          items.push(...compareUser(desired, user, { ...base, kind: server.panelKind, version, expiryToleranceMs: tolerance, now: now() }));
          continue;
        }
        // A claimed user is the account of a running subscription whose row is missing: the
        // repair adopts it (provisioning finds it by key), it must never be disabled as an orphan.
        if (claimed.has(lower)) continue;
        items.push({
          kind: 'orphan_in_panel',
          serverId: server.id,
          key: user.key,
          accountId: account?.id ?? null,
          subscriptionId: subscriptionIdFromKey(user.key, prefix),
          actual: { enabled: user.enabled },
        });
      }
      if (page.users.length < pageSize || offset + pageSize >= page.total) break;
    }

    // The accounts the panel did not list.
    let accounts = 0;
    for (let afterId = 0; ;) {
      const page = await repos.vpnAccounts.listByServer(server.id, { afterId, limit: pageSize });
      accounts += page.length;
      const absent = page.filter((a) => !seen.has(a.panelUserKey.toLowerCase()));
      const subs = absent.length > 0 ? await subscriptionsOf(absent) : new Map<number, Subscription>();
      for (const account of absent) {
        const sub = subs.get(account.subscriptionId);
        const base = { serverId: server.id, key: account.panelUserKey, accountId: account.id };
        // Retiring and already gone: the row is done.
        if (!sub || retiring(account, sub)) items.push({ ...base, kind: 'gone_from_panel', subscriptionId: sub?.id ?? null });
        // Nothing to disable on a panel that does not have it.
        else if (desiredSpec(sub, await planOf(sub.planId), { key: account.panelUserKey, now: now() }).enabled)
          items.push({ ...base, kind: 'missing_in_panel', subscriptionId: sub.id });
      }
      if (page.length < pageSize) break;
      afterId = page.at(-1)?.id ?? afterId;
    }
    return { items, accounts, panelUsers: seen.size };
  }

  /**
   * Deletes a panel user; false when the panel would only disable it for now (kept_disabled):
   * it cannot connect, the row stays `deleting`, and the next repair tries the delete again.
   */
  async function deleteOrDisable(adapter: PanelAdapter, key: string, result: RepairResult): Promise<boolean> {
    try {
      await adapter.deleteUser(key);
      return true;
    } catch (error) {
      if (!(error instanceof PanelError && error.code === 'kept_disabled')) throw error;
      result.orphansDisabled.push(key);
      return false;
    }
  }

  return {
    async report(options = {}) {
      const report: DriftReport = { generatedAt: now(), servers: [], items: [] };
      const unsynced = await unsyncedSubscriptions(options.serverIds);
      for (const server of await repos.servers.list()) {
        if (options.serverIds && !options.serverIds.includes(server.id)) continue;
        const accounts = await repos.vpnAccounts.countByServer(server.id);
        if (!server.active && accounts === 0) continue;
        const claimed = new Set(unsynced.filter((s) => s.serverId === server.id).map((s) => panelUserKey(s.id, prefix).toLowerCase()));
        try {
          const adapter = await deps.pool.adapterFor(server.id);
          // The version decides what the panel can hold (wg-easy v14 has no expiry), and an
          // unsupported one is refused here like anywhere else.
          const { version } = await adapter.connect();
          const found = await driftOf(server, adapter, version, claimed);
          report.items.push(...found.items);
          report.servers.push({ serverId: server.id, name: server.name, accounts: found.accounts, panelUsers: found.panelUsers, version });
        } catch (error) {
          // One unreachable panel must not hide the drift of the others.
          report.servers.push({
            serverId: server.id,
            name: server.name,
            accounts,
            panelUsers: 0,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      for (const sub of unsynced) {
        const item = await unsyncedItem(sub, report.items);
        if (item) report.items.push(item);
      }
      deps.logger?.info({ items: report.items.length, servers: report.servers.length }, 'drift report');
      return report;
    },

    async repair(report, options = {}) {
      const policy = options.orphans ?? 'disable';
      const result: RepairResult = { provisioned: [], orphansDisabled: [], orphansDeleted: [], rowsFinalised: [], failures: [] };
      const done = new Set<number>();
      for (const item of report.items) {
        try {
          if (item.kind === 'gone_from_panel') {
            if (item.accountId === null) continue;
            await repos.vpnAccounts.markDeleted(item.accountId);
            result.rowsFinalised.push(item.accountId);
            continue;
          }
          if (item.kind !== 'orphan_in_panel') {
            if (item.subscriptionId === null || done.has(item.subscriptionId)) continue;
            done.add(item.subscriptionId);
            await deps.provisioning.provision(item.subscriptionId, { reason: 'reconcile', force: true });
            result.provisioned.push(item.subscriptionId);
            continue;
          }
          if (item.serverId === null) continue;
          const adapter = await deps.pool.adapterFor(item.serverId);
          if (item.accountId !== null) {
            // The database already decided this account goes (retired or moved).
            if (!(await deleteOrDisable(adapter, item.key, result))) continue;
            await repos.vpnAccounts.markDeleted(item.accountId);
            result.orphansDeleted.push(item.key);
          } else if (policy === 'delete') {
            if (await deleteOrDisable(adapter, item.key, result)) result.orphansDeleted.push(item.key);
          } else if (policy === 'disable') {
            await adapter.setEnabled(item.key, false);
            result.orphansDisabled.push(item.key);
          }
        } catch (error) {
          result.failures.push({ item, error: error instanceof Error ? error.message : String(error) });
        }
      }
      for (const server of report.servers) {
        if (!server.error) await repos.servers.setUsersCount(server.serverId, await repos.vpnAccounts.countByServer(server.serverId));
      }
      deps.logger?.info(
        {
          provisioned: result.provisioned.length,
          deleted: result.orphansDeleted.length,
          disabled: result.orphansDisabled.length,
          failures: result.failures.length,
        },
        'drift repaired',
      );
      return result;
    },
  };
}
