import type { Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { PayloadOf, Processor, Producers, expirySweepQueue } from '@vpn/queues';
import { dispatchOutbox } from '../outbox/dispatch-outbox.js';

export interface ExpirySweepDeps {
  db: Pick<Database, 'repos'>;
  billing: Pick<Billing, 'subscriptions'>;
  producers: Pick<Producers, 'provisioning' | 'notifications'>;
  logger: Logger;
}

/**
 * `expiry-sweep`: billing marks every ended active subscription expired, each under its row lock
 * with a provisioning outbox row; dispatching those rows queues the panel changes that disable
 * the accounts. Safe on several workers at once (billing re-checks under the lock).
 */
export function createExpirySweepProcessor(deps: ExpirySweepDeps): Processor<PayloadOf<typeof expirySweepQueue>> {
  return async (_payload, { log }) => {
    const expired = await deps.billing.subscriptions.expireDue();
    const dispatched = expired > 0 ? await dispatchOutbox({ ...deps, logger: log }) : 0;
    return { expired, dispatched };
  };
}
