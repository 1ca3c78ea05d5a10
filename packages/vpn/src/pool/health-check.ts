import type { PanelAdapter } from '../adapter.js';
import { createPanelAdapter, type AdapterDeps, type PanelServerConfig } from './adapter-registry.js';

export interface ServerHealthResult {
  serverId: number;
  status: 'healthy' | 'degraded' | 'down';
  latencyMs: number;
  version: string | null;
  /** Why it is not healthy; null when healthy. Stored as the server's `last_error`. */
  error: string | null;
}

/**
 * Probes a panel: `connect()` (log in and refuse an unsupported version), then `health()`.
 * Down = unreachable, refused or unsupported; degraded = answering but slow or with a node
 * disconnected; healthy otherwise. Never throws: a probe reports.
 */
export async function checkServerHealth(
  serverId: number,
  adapter: PanelAdapter,
  options: { degradedLatencyMs: number },
): Promise<ServerHealthResult> {
  const started = Date.now();
  try {
    await adapter.connect();
  } catch (error) {
    return {
      serverId,
      status: 'down',
      latencyMs: Date.now() - started,
      version: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  const health = await adapter.health();
  if (!health.ok)
    return {
      serverId,
      status: 'down',
      latencyMs: health.latencyMs,
      version: health.version,
      error: health.error ?? 'panel reports not ok',
    };
  const offline = (health.nodes ?? []).filter((n) => !n.connected).map((n) => n.name);
  const problems = [
    ...(health.latencyMs > options.degradedLatencyMs ? [`slow: ${health.latencyMs} ms`] : []),
    ...(offline.length > 0 ? [`nodes offline: ${offline.join(', ')}`] : []),
  ];
  return {
    serverId,
    status: problems.length > 0 ? 'degraded' : 'healthy',
    latencyMs: health.latencyMs,
    version: health.version,
    error: problems.length > 0 ? problems.join('; ') : null,
  };
}

/**
 * Probes a panel from its row alone (a draft being added, or `pnpm ops:check`): builds the adapter
 * and runs {@link checkServerHealth}; a missing setting is the reason it is down, never thrown.
 * Writes nothing; the credentials stay in memory.
 */
export async function probePanel(
  server: PanelServerConfig,
  deps: AdapterDeps,
  options: { degradedLatencyMs: number },
): Promise<ServerHealthResult> {
  try {
    return await checkServerHealth(server.id, createPanelAdapter(server, deps), options);
  } catch (error) {
    // A row that cannot make an adapter (a setting missing) says what is missing.
    return {
      serverId: server.id,
      status: 'down',
      latencyMs: 0,
      version: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
