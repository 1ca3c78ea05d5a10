import type { Logger } from '@vpn/logger';
import type { PayloadOf, Processor, serverHealthQueue } from '@vpn/queues';

/** One probe's outcome (`@vpn/vpn`'s ServerHealthResult). */
export interface ServerProbe {
  serverId: number;
  status: 'healthy' | 'degraded' | 'down';
  latencyMs: number;
  version: string | null;
  error: string | null;
}

/**
 * The port to `@vpn/vpn`'s server pool: probe panels and record each server's health in the
 * database (placement reads it). Never throws for a panel that is down: a probe reports.
 */
export interface ServerHealthChecker {
  checkHealth(serverId: number): Promise<ServerProbe>;
  /** Every active server. */
  checkAll(): Promise<ServerProbe[]>;
}

/** Counts per status, and a warning per server that is not healthy (with the panel's reason). */
export function logProbes(
  probes: ServerProbe[],
  log: Logger,
  names: ReadonlyMap<number, string> = new Map(),
): Record<ServerProbe['status'], number> {
  const counts = { healthy: 0, degraded: 0, down: 0 };
  for (const p of probes) {
    counts[p.status]++;
    if (p.status === 'healthy') continue;
    const fields = { serverId: p.serverId, server: names.get(p.serverId), status: p.status, version: p.version, error: p.error };
    if (p.status === 'down') log.error(fields, 'server is down or refused: no new accounts are placed on it until a check passes');
    else log.warn(fields, 'server is degraded');
  }
  return counts;
}

/**
 * `server-health`: probe one server or every active one; the pool writes the status rows. Then
 * `afterCheck` acts on the new statuses (the outage notices).
 */
export function createServerHealthProcessor(deps: {
  serverHealth: ServerHealthChecker;
  afterCheck?: (log: Logger) => Promise<unknown>;
}): Processor<PayloadOf<typeof serverHealthQueue>> {
  return async ({ serverId }, { log }) => {
    const probes = serverId === undefined ? await deps.serverHealth.checkAll() : [await deps.serverHealth.checkHealth(Number(serverId))];
    const counts = logProbes(probes, log);
    log.info(counts, 'servers checked');
    await deps.afterCheck?.(log);
    return counts;
  };
}
