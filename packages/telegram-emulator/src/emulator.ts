import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '@vpn/logger';
import { EmulatorClient } from './client/emulator-client.js';
import { Control } from './control/control.js';
import { createDispatch } from './http/bot-api.js';
import { createRequestHandler } from './http/server.js';
import type { BotSeed } from './state/bots.js';
import type { RateLimitConfig } from './state/rate-limit.js';
import { World, type Timings } from './state/world.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  logger?: Logger;
  /** Telegram's flood limits by default; `false` turns them off, a partial config overrides. */
  rateLimits?: Partial<RateLimitConfig> | false;
  /** Telegram's timings by default (15 s callback answers, 10 s pre-checkout, webhook retry pauses). */
  timings?: Partial<Timings>;
  /** Bots registered at start. */
  bots?: BotSeed[];
  /** Fixes the first update id of every bot (default: derived from the clock). */
  firstUpdateId?: number;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** What grammY's `client.apiRoot` takes (no trailing slash). */
  apiRoot: string;
  port: number;
  /** The control API in-process. */
  control: Control;
  /** The typed client, bound in-process (same surface as over HTTP). */
  client: EmulatorClient;
  /** The raw state, for assertions the control API does not cover. */
  world: World;
  close(): Promise<void>;
}

/** Starts a Bot API emulator on `host:port`. Nothing listens until this is called. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const logger = options.logger ?? silentLogger();
  const world = new World({
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
    ...(options.timings ? { timings: options.timings } : {}),
    ...(options.firstUpdateId === undefined ? {} : { firstUpdateId: options.firstUpdateId }),
  });
  for (const seed of options.bots ?? []) world.bots.register(seed);
  const control = new Control(world);
  const dispatch = createDispatch(world, logger);
  const server = createServer(createRequestHandler({ world, control, dispatch, logger }));
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const host = options.host === undefined || options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const url = `http://${host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      world.stopWorkers();
      server.close(() => resolve());
      // Long polls and keep-alive sockets would hold close() open for up to a minute.
      server.closeAllConnections();
    });
    return closing;
  };
  logger.info({ url, bots: world.bots.all().map((b) => b.info.username) }, 'telegram emulator listening');
  return {
    url,
    apiRoot: url,
    port,
    control,
    client: EmulatorClient.inProcess(control),
    world,
    close,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
