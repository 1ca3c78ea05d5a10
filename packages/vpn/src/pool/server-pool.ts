import { metrics } from '@vpn/metrics';
import { createHash } from 'node:crypto';
import type { Server, ServersRepository } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { PanelError, type PanelAdapter } from '../adapter.js';
import { createBreakerRegistry, DEFAULT_BREAKER, type BreakerRegistry } from '../http/circuit-breaker.js';
import { withResilience } from '../http/resilient-adapter.js';
import { DEFAULT_RETRY, type RetryOptions } from '../http/retry.js';
import { createPanelAdapter, type AdapterDeps, type PanelServerConfig } from './adapter-registry.js';
import { checkServerHealth, type ServerHealthResult } from './health-check.js';
import { chooseServer, type PlacementOptions } from './placement.js';

export interface ServerPoolDeps {
  servers: Pick<ServersRepository, 'list' | 'listActive' | 'get' | 'getWithCredentials' | 'updateHealth'>;
  adapterDeps?: AdapterDeps;
  /** One breaker per server; default 5 failures → open for 30 s. */
  breakers?: BreakerRegistry;
  retry?: RetryOptions;
  /** Replaces the kind → adapter registry (tests with a custom adapter). */
  createAdapter?: (server: PanelServerConfig, deps: AdapterDeps) => PanelAdapter;
  /** A healthy answer slower than this counts as degraded; default 2 s. */
  degradedLatencyMs?: number;
  logger?: Logger;
}

/** Thrown when no server can take a new account (all full, down, drained or open). */
export class PlacementError extends Error {
  readonly code = 'no_server';
  constructor(message: string) {
    super(message);
    this.name = 'PlacementError';
  }
}

/** The servers of the `servers` table with their adapters, breakers, placement and health checks. */
export interface ServerPool {
  /**
   * The server's adapter behind its breaker and retries; rebuilt only when the connection settings
   * change (kind, base URL, credentials, settings), never for counters or health.
   */
  adapterFor(serverId: number): Promise<PanelAdapter>;
  /** The best active server for a new account. @throws PlacementError */
  place(options?: Omit<PlacementOptions, 'isCircuitOpen'>): Promise<Server>;
  /** Probes one server and records status and last error in the database. */
  checkHealth(serverId: number): Promise<ServerHealthResult>;
  /** Probes every active server (one at a time: they are independent and few). */
  checkAll(): Promise<ServerHealthResult[]>;
  readonly breakers: BreakerRegistry;
}

/**
 * What the adapter is built from, hashed (the credentials are in it): a change here, and only
 * here, needs a new adapter.
 */
function connectionStamp(row: PanelServerConfig): string {
  const { name, panelKind, baseUrl, credentials, settings } = row;
  return createHash('sha256')
    .update(JSON.stringify([name, panelKind, baseUrl, credentials, settings]))
    .digest('base64url');
}

export function createServerPool(deps: ServerPoolDeps): ServerPool {
  const breakers = deps.breakers ?? createBreakerRegistry(DEFAULT_BREAKER);
  const build = deps.createAdapter ?? createPanelAdapter;
  const cache = new Map<number, { stamp: string; raw: PanelAdapter; resilient: PanelAdapter }>();

  async function entry(serverId: number) {
    const row = await deps.servers.getWithCredentials(serverId);
    if (!row) throw new PanelError('not_found', `server ${serverId} does not exist`);
    const stamp = connectionStamp(row);
    const hit = cache.get(serverId);
    if (hit && hit.stamp === stamp) return hit;
    // New or edited (credentials rotated, base URL moved): a fresh adapter drops old sessions.
    // Not `updated_at`: every new account and every health probe bumps it, and a fresh adapter is
    // a fresh login (3x-ui tells the panel's admins about each one in Telegram).
    const raw = build(row, deps.adapterDeps ?? {});
    const retry = deps.retry ?? DEFAULT_RETRY;
    const server = String(serverId);
    const counted = {
      ...retry,
      onRetry: (info: Parameters<NonNullable<typeof retry.onRetry>>[0]) => {
        metrics.panelRetries.inc({ server });
        retry.onRetry?.(info);
      },
    };
    const made = { stamp, raw, resilient: withResilience(raw, { breaker: breakers.get(serverId), retry: counted }) };
    cache.set(serverId, made);
    return made;
  }

  async function checkHealth(serverId: number): Promise<ServerHealthResult> {
    const server = await deps.servers.get(serverId);
    if (!server) throw new PanelError('not_found', `server ${serverId} does not exist`);
    let result: ServerHealthResult;
    try {
      result = await checkServerHealth(serverId, (await entry(serverId)).raw, { degradedLatencyMs: deps.degradedLatencyMs ?? 2_000 });
    } catch (error) {
      // A row that cannot make an adapter (missing settings) is down until an operator fixes it.
      result = { serverId, status: 'down', latencyMs: 0, version: null, error: error instanceof Error ? error.message : String(error) };
    }
    await deps.servers.updateHealth(serverId, result.status, { lastError: result.error, latencyMs: result.latencyMs });
    if (result.status !== server.healthStatus)
      deps.logger?.info({ serverId, from: server.healthStatus, to: result.status, error: result.error }, 'server health changed');
    return result;
  }

  return {
    breakers,
    adapterFor: async (serverId) => (await entry(serverId)).resilient,
    async place(options = {}) {
      const servers = await deps.servers.listActive();
      const chosen = chooseServer(servers, { ...options, isCircuitOpen: (id) => breakers.get(id).state === 'open' });
      if (!chosen) {
        const where = options.countryCode ? ` in ${options.countryCode}` : '';
        throw new PlacementError(`no server${where} can take a new account (${servers.length} active: all full, down, drained or failing)`);
      }
      return chosen;
    },
    checkHealth,
    async checkAll() {
      const results: ServerHealthResult[] = [];
      for (const server of await deps.servers.listActive()) results.push(await checkHealth(server.id));
      return results;
    },
  };
}
