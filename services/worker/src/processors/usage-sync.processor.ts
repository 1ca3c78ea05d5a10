import type { Logger } from '@vpn/logger';
import type { PayloadOf, Processor, usageSyncQueue } from '@vpn/queues';

/** The port to `@vpn/vpn`: copy traffic usage from the panels into usage_snapshots. */
export interface UsageSyncer {
  /** All servers, or one; returns how many accounts got a snapshot. */
  sync(options: { serverId?: number }, log: Logger): Promise<number>;
}

/** `usage-sync`: panel usage → usage_snapshots (for "how much have I used" and the admin stats). */
export function createUsageSyncProcessor(deps: { usage: UsageSyncer }): Processor<PayloadOf<typeof usageSyncQueue>> {
  return async ({ serverId }, { log }) => {
    const synced = await deps.usage.sync(serverId === undefined ? {} : { serverId: Number(serverId) }, log);
    log.info({ synced }, 'usage synced');
    return { synced };
  };
}
