import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@vpn/logger';
import { webhookCallback, type Bot, type Context } from 'grammy';

/**
 * grammY's webhook callback with the kit's choices, for mounting in any framework grammY knows
 * (`'http'` for node:http, `'koa'` for a Koa app — the latter needs a body parser before it).
 * A request without the right `X-Telegram-Bot-Api-Secret-Token` gets 401. An update that takes
 * longer than `timeoutMs` is answered 200 and keeps running, so Telegram does not deliver it twice.
 */
export function createWebhookCallback<C extends Context, A extends Parameters<typeof webhookCallback>[1]>(
  bot: Bot<C>,
  adapter: A,
  options: { secretToken: string; timeoutMs?: number },
): ReturnType<typeof webhookCallback<C, A>> {
  return webhookCallback<C, A>(bot, adapter, {
    secretToken: options.secretToken,
    onTimeout: 'return',
    timeoutMilliseconds: options.timeoutMs ?? 9_000,
  });
}

export interface WebhookServerOptions {
  secretToken: string;
  /** Only POSTs to this path are updates; anything else is 404. */
  path: string;
  port: number;
  host?: string;
  logger: Logger;
  /** The server stopped listening or failed without `close()`: no update arrives any more. */
  onUnexpectedClose?: (err: unknown) => void;
}

export interface WebhookServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops accepting (503 for requests on open connections), then waits for requests in flight. */
  close(): Promise<void>;
  /** True while it listens and was not asked to close. */
  readonly listening: boolean;
}

/** A node:http server that hands Telegram's webhook POSTs to the bot. */
export async function startWebhookServer<C extends Context>(bot: Bot<C>, options: WebhookServerOptions): Promise<WebhookServer> {
  const handle = createWebhookCallback(bot, 'http', { secretToken: options.secretToken });
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || path !== options.path) {
      res.writeHead(404).end();
      return;
    }
    if (closing) {
      // Telegram retries a failed delivery; the next instance will take it.
      res.writeHead(503).end();
      return;
    }
    inFlight++;
    handle(req, res)
      .catch((err: unknown) => {
        options.logger.error({ err }, 'webhook request failed');
        if (!res.headersSent) res.writeHead(500).end();
      })
      .finally(() => {
        if (--inFlight === 0) idle?.();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let ended = false;
  const unexpected = (err: unknown): void => {
    if (closing || ended) return;
    ended = true;
    options.onUnexpectedClose?.(err);
  };
  server.on('error', unexpected);
  server.on('close', () => unexpected(new Error('webhook server closed')));

  return {
    port,
    get listening() {
      return server.listening && !closing && !ended;
    },
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}
