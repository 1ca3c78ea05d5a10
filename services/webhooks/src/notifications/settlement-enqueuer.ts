import type { Producers } from '@vpn/queues';
import { createBatcher } from './batcher.js';
import type { EnqueueSettlement } from './ports.js';

/**
 * Enqueues settlement of stored events, the ones acknowledged together in one Redis round trip
 * (`addBulk`, a MULTI). Idempotent as a single add: the job id is the event row id.
 */
export function createSettlementEnqueuer(producers: Pick<Producers, 'settlement'>): EnqueueSettlement {
  const enqueue = createBatcher<string, null>(async (eventRowIds) => {
    await producers.settlement.addBulk(eventRowIds.map((paymentEventId) => ({ payload: { paymentEventId } })));
    return eventRowIds.map(() => null);
  });
  return async (eventRowId) => {
    await enqueue(eventRowId);
  };
}
