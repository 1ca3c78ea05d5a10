import type { IncomingNotification } from '../../provider.js';
import { startHttpServer } from './http-server.js';

/** A notification as a receiver got it: exactly what `verifyNotification` takes, plus the path. */
export interface ReceivedNotification extends IncomingNotification {
  path: string;
}

export interface WebhookReceiver {
  /** POST here; any path is accepted and recorded. */
  url: string;
  readonly received: readonly ReceivedNotification[];
  /** Resolves with the first `count` notifications once that many arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedNotification[]>;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /**
   * Decides the HTTP status of each answer (default 200): e.g. verify inline and answer 401 for a
   * forgery, or 500 to make the emulator retry.
   */
  respond?: (notification: ReceivedNotification, index: number) => number | Promise<number>;
}

/**
 * A stand-in webhook endpoint for tests of adapters and emulators: it records the raw body,
 * headers and sender address of every POST, in the form the webhooks service hands to
 * `verifyNotification`.
 */
export async function createWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const received: ReceivedNotification[] = [];
  const waiters = new Set<() => void>();
  const server = await startHttpServer(async (req) => {
    const notification: ReceivedNotification = { rawBody: req.rawBody, headers: req.headers, ip: req.ip, path: req.path };
    received.push(notification);
    const status = options.respond ? await options.respond(notification, received.length - 1) : 200;
    for (const wake of waiters) wake();
    return { status, body: { ok: status < 300 } };
  });
  return {
    url: server.url,
    received,
    async waitFor(count, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} notifications, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
      return received.slice(0, count);
    },
    close: () => server.close(),
  };
}
