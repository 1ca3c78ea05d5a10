import type { Database, Server, Subscription, VpnAccount } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { PanelError, type PanelAdapter, type PanelUser } from '../adapter.js';
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
  /** Panel page size while listing users; default 200. */
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

  async function panelUsers(adapter: PanelAdapter): Promise<Map<string, PanelUser>> {
    const out = new Map<string, PanelUser>();
    for (let offset = 0; ; offset += pageSize) {
      const page = await adapter.listUsers({ offset, limit: pageSize });
      // Only names we make: an operator's own panel users are none of our business.
      for (const user of page.users) if (subscriptionIdFromKey(user.key, prefix) !== null) out.set(user.key.toLowerCase(), user);
      if (page.users.length < pageSize || offset + pageSize >= page.total) return out;
    }
  }

  async function accountsOf(serverId: number): Promise<VpnAccount[]> {
    const all: VpnAccount[] = [];
    for (let afterId = 0; ;) {
      const page = await repos.vpnAccounts.listByServer(serverId, { afterId, limit: 500 });
      all.push(...page);
      if (page.length < 500) return all;
      afterId = page[page.length - 1]?.id ?? afterId;
    }
  }

  /** `claimed`: keys of this server's unsynced subscriptions — their panel users are not orphans. */
  async function driftOf(
    server: Server,
    version: string,
    accounts: VpnAccount[],
    users: Map<string, PanelUser>,
    claimed: Set<string>,
  ): Promise<DriftItem[]> {
    const items: DriftItem[] = [];
    const wanted = new Set<string>();
    for (const account of accounts) {
      const sub = await repos.subscriptions.get(account.subscriptionId);
      // A row being retired, or left behind by a move, should not exist on this panel: if its
      // user is still there it is an orphan below (repair deletes it); if not, the row is done.
      if (!sub || account.syncState === 'deleting' || sub.serverId !== server.id) {
        if (!users.has(account.panelUserKey.toLowerCase())) {
          items.push({
            kind: 'gone_from_panel',
            serverId: server.id,
            key: account.panelUserKey,
            accountId: account.id,
            subscriptionId: sub?.id ?? null,
          });
        }
        continue;
      }
      wanted.add(account.panelUserKey.toLowerCase());
      const plan = sub.planId === null ? null : await repos.plans.get(sub.planId);
      const desired = desiredSpec(sub, plan, { key: account.panelUserKey, now: now() });
      const actual = users.get(account.panelUserKey.toLowerCase());
      const base = { serverId: server.id, key: account.panelUserKey, accountId: account.id, subscriptionId: sub.id };
      if (!actual) {
        // Nothing to disable on a panel that does not have it.
        if (desired.enabled) items.push({ ...base, kind: 'missing_in_panel' });
        continue;
      }
      items.push(...compareUser(desired, actual, { ...base, kind: server.panelKind, version, expiryToleranceMs: tolerance, now: now() }));
    }
    const rowByKey = new Map(accounts.map((a) => [a.panelUserKey.toLowerCase(), a]));
    for (const [lower, user] of users) {
      // A claimed user is the account of a running subscription whose row is missing: the
      // repair adopts it (provisioning finds it by key), it must never be disabled as an orphan.
      if (wanted.has(lower) || claimed.has(lower)) continue;
      const row = rowByKey.get(lower);
      items.push({
        kind: 'orphan_in_panel',
        serverId: server.id,
        key: user.key,
        accountId: row?.id ?? null,
        subscriptionId: subscriptionIdFromKey(user.key, prefix),
        actual: { enabled: user.enabled },
      });
    }
    return items;
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
        const accounts = await accountsOf(server.id);
        if (!server.active && accounts.length === 0) continue;
        const claimed = new Set(unsynced.filter((s) => s.serverId === server.id).map((s) => panelUserKey(s.id, prefix).toLowerCase()));
        try {
          const adapter = await deps.pool.adapterFor(server.id);
          // The version decides what the panel can hold (wg-easy v14 has no expiry), and an
          // unsupported one is refused here like anywhere else.
          const { version } = await adapter.connect();
          const users = await panelUsers(adapter);
          report.items.push(...(await driftOf(server, version, accounts, users, claimed)));
          report.servers.push({ serverId: server.id, name: server.name, accounts: accounts.length, panelUsers: users.size, version });
        } catch (error) {
          // One unreachable panel must not hide the drift of the others.
          report.servers.push({
            serverId: server.id,
            name: server.name,
            accounts: accounts.length,
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
        if (!server.error) await repos.servers.setUsersCount(server.serverId, (await accountsOf(server.serverId)).length);
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
