import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AdminRole } from '@vpn/db';
import { makeAdmin } from '@vpn/db/testing';
import { loadConfig, redisSchema } from '@vpn/config';
import { silentLogger } from '@vpn/logger';
import { createBackofficeHarness, type BackofficeHarness } from '@vpn/backoffice/testing';
import { createQueueFactory, type QueueFactory } from '@vpn/queues';
import { deleteKeys, testQueuePrefix } from '@vpn/queues/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAdminApi, type AdminApi } from '../app.js';
import { signTelegramLogin } from '../auth/telegram-login.js';
import { platformQueues } from '../http/queue-board.js';

export const TEST_BOT_TOKEN = '7000000001:AAtest-admin-bot-token-0123456789';
export const TEST_BOT_USERNAME = 'test_admin_bot';

/** One signed-in browser: its cookies, the CSRF token its page would echo, and the Bearer token. */
export interface Session {
  adminId: number;
  telegramId: number;
  cookies: Map<string, string>;
  csrf: string;
  accessToken: string;
}

export interface ApiHarness extends BackofficeHarness {
  api: AdminApi;
  /** The queues behind Bull Board (with `queues: true`), on this file's Redis prefix. */
  queues?: QueueFactory;
  url: string;
  /** A new admin with `role`, signed in through the Login Widget. */
  signIn(role: AdminRole): Promise<Session>;
  /** Widget data for `telegramId` signed with the admin bot's token, as Telegram would sign it. */
  widget(telegramId: number, authDate?: Date): Record<string, string | number>;
  /** A request as the dashboard makes it: the session's cookies, and the CSRF header on writes. */
  call(
    session: Session | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, inspected field by field in tests
  ): Promise<{ status: number; body: any; setCookies: string[] }>;
}

/** Keeps the cookies a response sets, as a browser would (a Max-Age=0 cookie is removed). */
export function absorbCookies(jar: Map<string, string>, setCookies: string[]): void {
  for (const line of setCookies) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    if (attrs.some((a) => a.trim().toLowerCase() === 'max-age=0') || value === '') jar.delete(name);
    else jar.set(name, value);
  }
}

export function useApiHarness(options: { webRoot?: string; queues?: boolean } = {}): ApiHarness {
  const h = {} as ApiHarness;
  let server: Server;
  let redis: Redis;
  let queueFactory: QueueFactory | undefined;
  const { REDIS_URL } = loadConfig(redisSchema);
  const prefix = testQueuePrefix('adm');
  beforeAll(async () => {
    Object.assign(h, await createBackofficeHarness());
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    if (options.queues) {
      queueFactory = createQueueFactory({ redisUrl: REDIS_URL, prefix });
      h.queues = queueFactory;
    }
    const board = queueFactory;
    h.api = createAdminApi({
      db: h.db,
      backoffice: h.backoffice,
      redis,
      redisPrefix: prefix,
      logger: silentLogger(),
      secret: 'test-secret-test-secret-test-secret-0123',
      ttl: { accessSeconds: 900, refreshSeconds: 14 * 86_400 },
      adminBotToken: TEST_BOT_TOKEN,
      widgetBot: async () => TEST_BOT_USERNAME,
      now: () => h.clock.now(),
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      ...(board ? { queues: platformQueues(board) } : {}),
    });
    server = createServer(h.api.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    h.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(async () => {
    await h.db.truncateAll();
    await deleteKeys(REDIS_URL, prefix);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await queueFactory?.close(true);
    await deleteKeys(REDIS_URL, prefix);
    redis?.disconnect();
    await h.yookassa?.close();
    await h.db?.close();
  });

  h.widget = (telegramId, authDate = h.clock.now()) =>
    signTelegramLogin(
      { id: telegramId, first_name: 'Ann', username: 'ann_ops', auth_date: Math.floor(authDate.getTime() / 1000) },
      TEST_BOT_TOKEN,
    );

  h.call = async (session, method, path, body, headers = {}) => {
    const cookie = session ? [...session.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : '';
    const response = await fetch(`${h.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        ...(session && method !== 'GET' ? { 'x-csrf-token': session.csrf } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const setCookies = response.headers.getSetCookie();
    if (session) absorbCookies(session.cookies, setCookies);
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null, setCookies };
  };

  h.signIn = async (role) => {
    const admin = await makeAdmin(h.db.repos, { role });
    const session: Session = { adminId: admin.id, telegramId: admin.telegramId, cookies: new Map(), csrf: '', accessToken: '' };
    const res = await h.call(session, 'POST', '/api/auth/telegram', h.widget(admin.telegramId));
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    const tokens = res.body as { csrfToken: string; accessToken: string };
    session.csrf = tokens.csrfToken;
    session.accessToken = tokens.accessToken;
    return session;
  };
  return h;
}
