import type { Database } from '@vpn/db';
import { PermanentJobError } from '@vpn/queues';
import { ProvisioningError, type ProvisioningService } from '@vpn/vpn';
import type { Provisioner } from '../processors/provisioning.processor.js';

/**
 * The provisioning port on `@vpn/vpn`'s service. A subscription that does not exist fails the
 * job for good; a `PanelError` keeps its own `retryable` verdict (a panel that is down, times out
 * or has its breaker open is retried with backoff; one that refuses our credentials is not), and
 * "no server can take it" is retried until an operator adds capacity.
 */
export function createVpnProvisioner(service: ProvisioningService, db: Pick<Database, 'repos'>): Provisioner {
  return {
    async provision(subscriptionId, reason) {
      let result;
      try {
        result = await service.provision(subscriptionId, { reason });
      } catch (err) {
        if (err instanceof ProvisioningError) throw new PermanentJobError(err.message, err.code);
        throw err;
      }
      const sub = await db.repos.subscriptions.get(subscriptionId);
      if (!sub) throw new PermanentJobError(`subscription ${subscriptionId} vanished`, 'not_found');
      const running = sub.status === 'active' && sub.endsAt !== null && sub.endsAt.getTime() > Date.now();
      const url = result.panelUser?.subscriptionUrl ?? result.account?.subscriptionUrl ?? result.panelUser?.links[0] ?? result.account?.links[0] ?? null;
      return { userId: sub.userId, enabled: running && (result.panelUser?.enabled ?? result.outcome !== 'skipped'), subscriptionUrl: url, endsAt: sub.endsAt };
    },
  };
}
