import type { Database, VpnAccount } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { PanelUser } from '../adapter.js';
import { panelDeadline } from '../http/deadline.js';
import type { ServerPool } from '../pool/server-pool.js';
import { credentialIdentity } from './credential-identity.js';

/** What one key reissue did. */
export interface ReissueResult {
  subscriptionId: number;
  /**
   * `reissued`: the old key is revoked and the new one stored; `already_reissued`: this request
   * was done before (a retried or duplicated job), nothing changed; `superseded`: a newer request
   * took over, which will rotate and tell the customer itself.
   */
  outcome: 'reissued' | 'already_reissued' | 'superseded';
  /** The account with the key the customer should use now. */
  account: VpnAccount;
  /** Reissues completed on this account: the version of the key the customer is told about. */
  version: number;
}

export interface ReissueDeps {
  db: Pick<Database, 'repos' | 'transaction'>;
  pool: ServerPool;
  logger?: Logger;
  /** One budget for the panel calls made under the row lock (as provisioning's); default 15 s. */
  lockedPanelBudgetMs?: number;
}

/**
 * Revokes the key of a synced account and stores the new one, once per `requestId`. Two
 * transactions on the account row lock: the first records the request as started (so a job that
 * dies during the panel call is known to have maybe rotated), the second calls the panel and
 * stores the result. A retry of a finished request rotates nothing; a retry of one that died
 * mid-call first reads the panel and keeps a key that already differs from the stored one.
 */
export async function reissueAccountKey(deps: ReissueDeps, account: VpnAccount, requestId: string): Promise<ReissueResult> {
  const { repos } = deps.db;
  const { subscriptionId } = account;
  const done = (row: VpnAccount, outcome: ReissueResult['outcome']): ReissueResult => ({
    subscriptionId,
    outcome,
    account: row,
    version: row.reissueCount,
  });

  const started = await deps.db.transaction(async (transaction) => {
    const locked = await repos.vpnAccounts.lockForUpdate(account.id, { transaction });
    if (!locked) throw new Error(`vpn account ${account.id} vanished`);
    if (locked.reissuedRequest === requestId) return { locked, resumed: false, finished: true };
    const resumed = locked.reissueRequest === requestId;
    if (!resumed) await repos.vpnAccounts.startReissue(locked.id, requestId, { transaction });
    return { locked, resumed, finished: false };
  });
  if (started.finished) return done(started.locked, 'already_reissued');

  const adapter = await deps.pool.adapterFor(account.serverId);
  return deps.db.transaction(async (transaction) => {
    const locked = await repos.vpnAccounts.lockForUpdate(account.id, { transaction });
    if (!locked) throw new Error(`vpn account ${account.id} vanished`);
    if (locked.reissuedRequest === requestId) return done(locked, 'already_reissued');
    if (locked.reissueRequest !== requestId) return done(locked, 'superseded');
    // A stuck panel must not pin the row lock (and a pooled connection) for all its retries.
    const bounded = panelDeadline(deps.lockedPanelBudgetMs ?? 15_000);
    let fresh: PanelUser | null = null;
    if (started.resumed) {
      // This request was started before and its end is unknown: a credential (UUID, password,
      // stable subscription token, WireGuard key) that differs from the stored one is the rotation
      // that lost its answer. Rendered links are no evidence: Marzban varies them on every read.
      const current = await bounded(() => adapter.getUser(locked.panelUserKey));
      if (current && credentialIdentity(adapter.kind, current) !== credentialIdentity(adapter.kind, locked)) fresh = current;
    }
    fresh ??= await bounded(() => adapter.revokeSubscription(locked.panelUserKey));
    const stored = await repos.vpnAccounts.completeReissue(
      locked.id,
      requestId,
      {
        panelId: fresh.panelId,
        subscriptionUrl: fresh.subscriptionUrl,
        links: fresh.links,
        wireguardConfig: fresh.wireguardConfig ?? null,
      },
      { transaction },
    );
    if (!stored) throw new Error(`vpn account ${account.id}: reissue ${requestId} could not be stored`);
    deps.logger?.info(
      { subscriptionId, accountId: locked.id, requestId, version: stored.reissueCount, resumed: started.resumed },
      'key reissued',
    );
    return done(stored, 'reissued');
  });
}
