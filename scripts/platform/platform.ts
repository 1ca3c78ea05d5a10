import { randomBytes } from 'node:crypto';
import type { Env } from '@vpn/config';
import { createDatabase, ensureDatabase, seedDefaults, type Database } from '@vpn/db';
import type { OutsideWorld } from './outside-world.js';
import { startService, type RunningService, type ServiceOutput } from './child.js';
import { freePort } from './ports.js';
import { PLATFORM_PROCESSES, processNamed, SERVICE_NAMES, type PlatformProcess, type ServiceName } from './processes.js';

export interface PlatformOptions {
  databaseUrl: string;
  /** PostgreSQL schema; tests use one per run so they never touch the developer's data. */
  schema: string;
  redisUrl: string;
  queuePrefix: string;
  encryptionKey: string;
  /** The emulators; absent = the real outside world, configured by `baseEnv`. */
  world?: OutsideWorld;
  /** Where each process's output goes. */
  output?: (name: ServiceName) => ServiceOutput;
  logLevel?: string;
  /** Fixed webhooks port for the sandbox; 0 or absent = any free port. */
  webhooksPort?: number;
  /** Fixed admin API / dashboard port; 0 or absent = any free port. */
  adminApiPort?: number;
  /** Added to (and overriding) every process's environment. */
  extraEnv?: Env;
  /** Which processes to start (all by default). */
  services?: readonly ServiceName[];
  /** The base environment (PATH, HOME ...) the children inherit. */
  baseEnv: Env;
}

export interface Platform {
  readonly env: Env;
  /** Keys the operator set (environment or .env) that this run replaced, e.g. the sandbox's BOT_MODE. */
  readonly overridden: string[];
  readonly webhooksUrl: string;
  /** The admin API and web dashboard. */
  readonly adminApiUrl: string;
  readonly services: Map<ServiceName, RunningService>;
  /** A started process's ops port (/healthz, /metrics). */
  opsUrl(name: ServiceName): string | undefined;
  /** Starts (again) one process, e.g. after a test killed it. */
  start(name: ServiceName): Promise<RunningService>;
  stop(): Promise<void>;
}

/** Migrates and seeds the schema and registers the emulated panel as the one server. */
export async function preparePlatformDatabase(
  options: Pick<PlatformOptions, 'databaseUrl' | 'schema' | 'encryptionKey' | 'world'>,
): Promise<void> {
  await ensureDatabase(options.databaseUrl);
  const db = createDatabase({ url: options.databaseUrl, schema: options.schema, encryptionKey: options.encryptionKey, poolMax: 2 });
  try {
    await db.sequelize.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    await db.migrator().up();
    await seedDefaults(db);
    if (options.world) {
      await registerSandboxServer(db, options.world);
      // The emulated staff forum starts empty on every run: topic ids of an earlier run mean nothing.
      await db.repos.supportRelays.forgetTopics();
    }
  } finally {
    await db.close();
  }
}

async function registerSandboxServer(db: Database, world: OutsideWorld): Promise<void> {
  const { marzban } = world;
  const existing = await db.repos.servers.findByName('sandbox-marzban');
  const server = {
    name: 'sandbox-marzban',
    countryCode: 'NL',
    panelKind: 'marzban' as const,
    baseUrl: marzban.url,
    credentials: { ...marzban.credentials },
    settings: { inbounds: { vless: ['VLESS TCP REALITY'] }, flow: 'xtls-rprx-vision', subscriptionBaseUrl: marzban.url },
    capacity: 1000,
    weight: 1,
    active: true,
  };
  // Emulators listen on new ports every run: the sandbox server row follows them.
  if (existing) await db.repos.servers.update(existing.id, server);
  else await db.repos.servers.create(server);
}

/** What the processes need to talk to the emulators instead of the real services. */
export function sandboxEnv(world: OutsideWorld, webhooksUrl: string): Env {
  world.yookassa.setWebhookUrl(`${webhooksUrl}/webhooks/yookassa`);
  world.cryptopay.setWebhookUrl(`${webhooksUrl}/webhooks/cryptopay`);
  world.wata.setWebhookUrl(`${webhooksUrl}/webhooks/wata`);
  world.heleket.setWebhookUrl(`${webhooksUrl}/webhooks/heleket`);
  world.platega.setWebhookUrl(`${webhooksUrl}/webhooks/platega`);
  world.xrocket.setWebhookUrl(`${webhooksUrl}/webhooks/xrocket`);
  world.severpay.setWebhookUrl(`${webhooksUrl}/webhooks/severpay`);
  return {
    TELEGRAM_API_ROOT: world.telegram.apiRoot,
    CLIENT_BOT_TOKEN: world.clientBotToken,
    SUPPORT_BOT_TOKEN: world.supportBotToken,
    SUPPORT_CHAT_ID: String(world.supportChatId),
    BOT_MODE: 'polling',
    PAYMENT_PROVIDERS: world.providers.join(','),
    CRYPTOPAY_TOKEN: world.cryptopay.token,
    CRYPTOPAY_API_URL: world.cryptopay.apiUrl,
    WATA_TOKEN: world.wata.token,
    WATA_API_URL: world.wata.apiUrl,
    HELEKET_MERCHANT_ID: world.heleket.merchantId,
    HELEKET_PAYMENT_KEY: world.heleket.paymentKey,
    HELEKET_API_URL: world.heleket.apiUrl,
    HELEKET_ALLOWED_IPS: '127.0.0.1,::1',
    PLATEGA_MERCHANT_ID: world.platega.merchantId,
    PLATEGA_SECRET: world.platega.secret,
    PLATEGA_API_URL: world.platega.apiUrl,
    XROCKET_TOKEN: world.xrocket.token,
    XROCKET_API_URL: world.xrocket.apiUrl,
    XROCKET_RATE: '95',
    SEVERPAY_MID: String(world.severpay.mid),
    SEVERPAY_TOKEN: world.severpay.token,
    SEVERPAY_API_URL: world.severpay.apiUrl,
    YOOKASSA_SHOP_ID: world.yookassa.shopId,
    YOOKASSA_SECRET_KEY: world.yookassa.secretKey,
    YOOKASSA_API_URL: world.yookassa.apiUrl,
    YOOKASSA_ALLOWED_IPS: '127.0.0.1,::1',
    YOOKASSA_RECEIPT_EMAIL: 'receipts@sandbox.invalid',
    STARS_FORWARD_SECRET: randomBytes(16).toString('hex'),
    GO_LINK_SECRET: randomBytes(32).toString('hex'),
  };
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  await preparePlatformDatabase(options);
  const { world } = options;
  const webhooksPort = options.webhooksPort || (await freePort());
  const webhooksUrl = `http://127.0.0.1:${webhooksPort}`;
  const adminApiPort = options.adminApiPort || (await freePort());
  const env: Env = {
    ...options.baseEnv,
    LOG_LEVEL: options.logLevel ?? options.baseEnv.LOG_LEVEL ?? 'info',
    DATABASE_URL: options.databaseUrl,
    DATABASE_SCHEMA: options.schema,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    ENCRYPTION_KEY: options.encryptionKey,
    WEBHOOKS_PORT: String(webhooksPort),
    ADMIN_API_PORT: String(adminApiPort),
    ...(world
      ? {
          NODE_ENV: 'development',
          DATABASE_POOL_MAX: '5',
          WEBHOOKS_HOST: '127.0.0.1',
          ADMIN_API_HOST: '127.0.0.1',
          PUBLIC_BASE_URL: webhooksUrl,
          ...sandboxEnv(world, webhooksUrl),
        }
      : {}),
    ...options.extraEnv,
  };

  const services = new Map<ServiceName, RunningService>();
  const healthPorts = new Map<ServiceName, number>();
  const start = async (name: ServiceName): Promise<RunningService> => {
    const spec = processNamed(name);
    // Every process answers /healthz (and /metrics) on a HEALTH_PORT of its own, kept across restarts.
    const port = healthPorts.get(name) ?? (await freePort());
    healthPorts.set(name, port);
    const service = await startService(
      {
        name,
        entry: spec.entry,
        env: { ...env, HEALTH_PORT: String(port) },
        healthUrl: `http://127.0.0.1:${port}/healthz`,
      },
      options.output?.(name) ?? { mode: 'inherit' },
    );
    services.set(name, service);
    return service;
  };

  const platform: Platform = {
    env,
    overridden: Object.keys(options.baseEnv)
      .filter((k) => options.baseEnv[k] !== undefined && env[k] !== options.baseEnv[k])
      .sort(),
    webhooksUrl,
    adminApiUrl: `http://127.0.0.1:${adminApiPort}`,
    services,
    opsUrl: (name) => {
      const port = healthPorts.get(name);
      return port === undefined ? undefined : `http://127.0.0.1:${port}`;
    },
    start,
    async stop() {
      // The bot first (no new work), the worker last (it finishes what the others queued).
      const order = [...SERVICE_NAMES].reverse();
      for (const name of order) await services.get(name)?.stop();
    },
  };
  try {
    const wanted = options.services ?? SERVICE_NAMES;
    for (const p of PLATFORM_PROCESSES as readonly PlatformProcess[]) {
      const name = p.name as ServiceName;
      if (wanted.includes(name) && (p.when?.(env) ?? true)) await start(name);
    }
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}
