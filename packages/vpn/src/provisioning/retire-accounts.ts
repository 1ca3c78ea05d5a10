import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { PanelError } from '../adapter.js';
import type { ServerPool } from '../pool/server-pool.js';

/**
 * A subscription moved to another server: its accounts elsewhere are deleted from their panels.
 * A panel that cannot be reached now, or will not delete yet (and disables instead), leaves the
 * row `deleting`, which reconciliation retries; it never fails the provisioning that already
 * succeeded.
 */
export async function retireOtherAccounts(
  deps: { db: Pick<Database, 'repos'>; pool: ServerPool; logger?: Logger },
  subscriptionId: number,
  currentServerId: number,
): Promise<number> {
  const { vpnAccounts, servers } = deps.db.repos;
  let retired = 0;
  for (const old of await vpnAccounts.findBySubscription(subscriptionId)) {
    if (old.serverId === currentServerId || old.syncState === 'deleted') continue;
    try {
      await vpnAccounts.markDeleting(old.id);
      await (await deps.pool.adapterFor(old.serverId)).deleteUser(old.panelUserKey);
      await vpnAccounts.markDeleted(old.id);
      await servers.incrementUsersCount(old.serverId, -1);
      retired++;
    } catch (error) {
      // kept_disabled: the panel would not delete it yet but it can no longer connect; the row
      // stays `deleting` and reconciliation deletes it when the panel allows.
      if (error instanceof PanelError && error.code === 'kept_disabled') {
        deps.logger?.info({ subscriptionId, serverId: old.serverId, key: old.panelUserKey }, 'old account disabled; deletion pending');
        continue;
      }
      deps.logger?.warn(
        { subscriptionId, serverId: old.serverId, key: old.panelUserKey, err: error },
        'old account not deleted yet; reconciliation retries',
      );
    }
  }
  return retired;
}
