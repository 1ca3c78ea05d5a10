import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type Koa from 'koa';
import { createLogger, silentLogger, type Logger } from '@vpn/logger';
import { createServer as createApp, createOpsServer, type ServerDeps } from '../app.js';
import type { AppState } from '../context.js';
import { createMetrics } from '../metrics.js';

/** A Koa app listening on 127.0.0.1 with a random port. */
export interface Served {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function serve(app: Koa<never> | Koa): Promise<Served> {
  const server = createServer((app as Koa).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A logger whose JSON lines a test can read back. */
export function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ name: 'test', level: 'debug', destination }), lines };
}

/** The app with no providers and a store that must not be reached, plus whatever a test adds. */
export function appWithout(overrides: Partial<ServerDeps> = {}): Koa<AppState> {
  return createApp({
    logger: silentLogger(),
    metrics: createMetrics({ isolated: true }),
    providers: new Map(),
    store: { record: () => Promise.reject(new Error('the store is not part of this test')) },
    enqueueSettlement: () => Promise.reject(new Error('the queue is not part of this test')),
    readiness: {},
    ...overrides,
  });
}

/** The ops app (health, readiness, metrics) with no readiness checks unless a test adds them. */
export function opsWithout(overrides: Partial<ServerDeps> = {}): Koa<AppState> {
  return createOpsServer({ logger: silentLogger(), metrics: createMetrics({ isolated: true }), readiness: {}, ...overrides });
}
