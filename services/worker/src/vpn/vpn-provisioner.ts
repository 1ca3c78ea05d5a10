import type { Database } from '@vpn/db';
import { PermanentJobError } from '@vpn/queues';
import { ProvisioningError, type ProvisioningService } from '@vpn/vpn';
import type { Provisioner } from '../processors/provisioning.processor.js';

/** A `ProvisioningError` fails the job for good; anything else keeps its own retry verdict. */
async function permanentOnDomainError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ProvisioningError) throw new PermanentJobError(err.message, err.code);
    throw err;
  }
}

/**
 * The provisioning port on `@vpn/vpn`'s service. A subscription that does not exist (or, for a
 * reissue, is not running) fails the job for good; a `PanelError` keeps its own `retryable`
 * verdict (a panel that is down, times out or has its breaker open is retried with backoff; one
 * that refuses our credentials is not), and "no server can take it" is retried until an operator
 * adds capacity.
 */
export function createVpnProvisioner(service: ProvisioningService, db: Pick<Database, 'repos'>): Provisioner {
  const running = (sub: { status: string; endsAt: Date | null }) =>
    sub.status === 'active' && sub.endsAt !== null && sub.endsAt.getTime() > Date.now();
  const subscription = async (subscriptionId: number) => {
    const sub = await db.repos.subscriptions.get(subscriptionId);
    if (!sub) throw new PermanentJobError(`subscription ${subscriptionId} vanished`, 'not_found');
    return sub;
  };
  return {
    checkLive: (subscriptionId, budgetMs) => service.checkLive(subscriptionId, budgetMs),
    async provision(subscriptionId, reason) {
      // The doctor found the panel unlike the database (a panel restarted empty, say): the account
      // row still says "synced", so the panel is called whatever version it reflects.
      const force = reason === 'doctor';
      const result = await permanentOnDomainError(() => service.provision(subscriptionId, { reason, force }));
      const sub = await subscription(subscriptionId);
      const url =
        result.panelUser?.subscriptionUrl ??
        result.account?.subscriptionUrl ??
        result.panelUser?.links[0] ??
        result.account?.links[0] ??
        null;
      const wireguard = Boolean(result.panelUser?.wireguardConfig ?? result.account?.wireguardConfig);
      return {
        userId: sub.userId,
        enabled: running(sub) && (result.panelUser?.enabled ?? result.outcome !== 'skipped'),
        subscriptionUrl: url,
        wireguard,
        endsAt: sub.endsAt,
      };
    },
    async reissue(subscriptionId, requestId) {
      const result = await permanentOnDomainError(() => service.reissue(subscriptionId, requestId));
      const sub = await subscription(subscriptionId);
      const { account } = result;
      return {
        userId: sub.userId,
        version: result.version,
        superseded: result.outcome === 'superseded',
        subscriptionUrl: account.subscriptionUrl ?? account.links[0] ?? null,
        wireguard: account.wireguardConfig !== null,
        endsAt: sub.endsAt,
      };
    },
  };
}
