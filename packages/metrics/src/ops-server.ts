import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registry, renderMetrics } from './registry.js';

/** A readiness probe: resolves when the dependency answers. */
export type HealthCheck = () => Promise<unknown>;

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

const withTimeout = (check: HealthCheck, ms: number) =>
  Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/**
 * The ops port (`HEALTH_PORT`) of a process: `GET /healthz` (200 when every check passes within
 * 2 s, 503 with the failing names otherwise; docker compose's health check) and `GET /metrics`
 * (Prometheus text of the process's registry). Never published outside the compose network.
 * Start it once the process is taking work, so "healthy" also means "ready".
 */
export async function startOpsServer(port: number, checks: Record<string, HealthCheck>, host = '0.0.0.0'): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      renderMetrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    void Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check, 2_000);
          return null;
        } catch {
          return name;
        }
      }),
    ).then((results) => {
      const failing = results.filter((n): n is string => n !== null);
      res.writeHead(failing.length === 0 ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(failing.length === 0 ? { ok: true } : { ok: false, failing }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
