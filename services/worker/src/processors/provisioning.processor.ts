import type { Logger } from '@vpn/logger';
import type { PayloadOf, Processor, Producers, provisioningQueue } from '@vpn/queues';

/** What the panel looks like for a subscription after it was made to match the database. */
export interface ProvisionOutcome {
  userId: number;
  /** The account works (subscription running and enabled in the panel). */
  enabled: boolean;
  /** The link the customer imports into their app; null when access is off or the panel has none. */
  subscriptionUrl: string | null;
  endsAt: Date | null;
}

/**
 * The port to `@vpn/vpn`: make the panel match subscription `subscriptionId` (create, extend,
 * disable). Idempotent ("ensure"); throws the adapter's `PanelError`, whose `retryable` decides
 * whether the job backs off and tries again.
 */
export interface Provisioner {
  provision(subscriptionId: number, reason: string, log: Logger): Promise<ProvisionOutcome>;
}

/** Reasons after which access works (again) and the customer should have their link. */
const GRANTING = new Set(['trial', 'purchase', 'renewal', 'referral_bonus', 'grant', 'resume']);

export interface ProvisioningDeps {
  provisioner: Provisioner;
  producers: Pick<Producers, 'notifications'>;
}

/**
 * `provisioning`: make the panel match the subscription, retried with a capped exponential
 * backoff for as long as the panel does not answer (the contract allows about a day). When it
 * works, the customer is sent their link once per subscription (`subscription_ready`, reference
 * `sub:<id>`; sent_notifications keeps it to one message however many replicas, retries or
 * renewals follow).
 */
export function createProvisioningProcessor(deps: ProvisioningDeps): Processor<PayloadOf<typeof provisioningQueue>> {
  return async ({ subscriptionId, version, reason }, { log }) => {
    const outcome = await deps.provisioner.provision(Number(subscriptionId), reason, log);
    log.info({ subscriptionId, version, reason, enabled: outcome.enabled }, 'panel matches the subscription');
    if (GRANTING.has(reason) && outcome.enabled && outcome.subscriptionUrl) {
      await deps.producers.notifications.add({
        userId: outcome.userId,
        kind: 'subscription_ready',
        reference: `sub:${subscriptionId}`,
        params: { link: outcome.subscriptionUrl, endsAt: outcome.endsAt?.toISOString() ?? null },
      });
    }
    return { enabled: outcome.enabled };
  };
}
