import type { PayloadOf, Processor, outboxDispatchQueue } from '@vpn/queues';
import { dispatchOutbox, type DispatchDeps } from '../outbox/dispatch-outbox.js';
import { recoverSettlements, type RecoverDeps } from './recover-settlements.js';

/**
 * `outbox-dispatch`: the periodic sweep for outbox rows no settlement dispatched itself (a crash
 * in between), and for stored payment events whose settlement job was lost.
 */
export function createOutboxDispatchProcessor(deps: DispatchDeps & RecoverDeps): Processor<PayloadOf<typeof outboxDispatchQueue>> {
  return async (_payload, { log }) => {
    const dispatched = await dispatchOutbox({ ...deps, logger: log });
    const recovered = await recoverSettlements(deps, log);
    if (dispatched > 0) log.info({ dispatched }, 'outbox dispatched');
    return { dispatched, recovered };
  };
}
