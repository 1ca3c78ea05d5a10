/**
 * `npm start`: the whole platform on one machine.
 *
 * - With CLIENT_BOT_TOKEN set it runs the real thing: migrations, seed, then the webhooks
 *   service, the worker and the client bot as separate processes against the real Telegram.
 * - Without it, sandbox mode: the Telegram, Marzban and YooKassa emulators stand in for the
 *   outside world, and `pnpm sandbox:chat` lets you talk to the bot as a customer.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  adminApiSchema,
  baseSchema,
  botTokensSchema,
  configOrExit,
  databaseSchema,
  encryptionSchema,
  httpSchema,
  loadConfig,
  readEnv,
  redisSchema,
  sandboxSchema,
  z,
} from '@vpn/config';
import { ensureDatabase } from '@vpn/db';
import { createLogger } from '@vpn/logger';
import { Redis } from 'ioredis';
import {
  SANDBOX_CLIENT_BOT_USERNAME,
  SANDBOX_OWNER_ID,
  SANDBOX_PROVIDERS,
  startOutsideWorld,
  startPlatform,
  stopAllServices,
  type OutsideWorld,
  type Platform,
  type SandboxProvider,
} from './platform/index.js';
import { ensureDashboardBuilt, sandboxAdminLink } from './platform/sandbox-admin.js';
import { sandboxDatabaseUrl, sandboxQueuePrefix } from './platform/sandbox-target.js';
import { checkPostgres, checkRedis, explainStartupError, StartupError } from './platform/startup-errors.js';

const schema = z.object({
  ...baseSchema.shape,
  ...databaseSchema.shape,
  ...redisSchema.shape,
  ...botTokensSchema.shape,
  ...httpSchema.shape,
  ...sandboxSchema.shape,
  ADMIN_API_PORT: adminApiSchema.shape.ADMIN_API_PORT,
  // Optional (the sandbox makes its own), but checked when given: a bad key is one readable line.
  ENCRYPTION_KEY: encryptionSchema.shape.ENCRYPTION_KEY.optional(),
});
const config = configOrExit(() => loadConfig(schema));
const logger = createLogger({ name: 'platform', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY ?? true });
const sandboxDir = resolve(join(import.meta.dirname, '..'), config.SANDBOX_DATA_DIR);

/** The sandbox keeps one encryption key across runs, so the servers it stored stay readable. */
function sandboxEncryptionKey(): string {
  const file = join(sandboxDir, 'encryption-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(sandboxDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

const sandbox = config.SANDBOX ?? !config.CLIENT_BOT_TOKEN;

/**
 * `npm start -- --providers yookassa,cryptopay,wata,stars,heleket,platega,xrocket,severpay`: the payment methods the sandbox offers
 * (default YooKassa and Stars); `--panel` names the emulated panel (Marzban, the one emulated with
 * its state kept across restarts so far).
 */
function sandboxArgs(): { providers: SandboxProvider[] } {
  const { values } = parseArgs({ options: { providers: { type: 'string' }, panel: { type: 'string' } }, strict: false });
  const providers =
    typeof values.providers === 'string'
      ? values.providers
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
      : ['yookassa', 'stars'];
  const unknown = providers.filter((p) => !(SANDBOX_PROVIDERS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new StartupError(`--providers: unknown ${unknown.join(', ')}; the sandbox has ${SANDBOX_PROVIDERS.join(', ')}.`);
  }
  if (values.panel !== undefined && values.panel !== 'marzban') {
    throw new StartupError(`--panel ${String(values.panel)}: the sandbox emulates marzban so far (the only choice).`);
  }
  return { providers: providers as SandboxProvider[] };
}

let world: OutsideWorld | undefined;
let platform: Platform | undefined;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping the platform');
  await platform?.stop();
  // Stopped while starting: the processes already up are not in a platform yet.
  await stopAllServices();
  await world?.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

const targets = {
  databaseUrl: sandbox ? sandboxDatabaseUrl(config.DATABASE_URL) : config.DATABASE_URL,
  redisUrl: config.REDIS_URL,
  portKeys: {
    [config.EMULATOR_PORT]: 'EMULATOR_PORT',
    [config.PANEL_EMULATOR_PORT]: 'PANEL_EMULATOR_PORT',
    [config.PAYMENT_EMULATOR_PORT]: 'PAYMENT_EMULATOR_PORT',
    [config.WEBHOOKS_PORT]: 'WEBHOOKS_PORT',
    [config.ADMIN_API_PORT]: 'ADMIN_API_PORT',
    [config.CRYPTOPAY_EMULATOR_PORT]: 'CRYPTOPAY_EMULATOR_PORT',
    [config.WATA_EMULATOR_PORT]: 'WATA_EMULATOR_PORT',
    [config.HELEKET_EMULATOR_PORT]: 'HELEKET_EMULATOR_PORT',
    [config.PLATEGA_EMULATOR_PORT]: 'PLATEGA_EMULATOR_PORT',
    [config.XROCKET_EMULATOR_PORT]: 'XROCKET_EMULATOR_PORT',
    [config.SEVERPAY_EMULATOR_PORT]: 'SEVERPAY_EMULATOR_PORT',
  },
};

/** PING with no retries: an unreachable Redis is reported at once, not retried forever. */
async function pingRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

try {
  // What every process needs, checked first so that its absence is one clear sentence.
  await checkPostgres(targets.databaseUrl, ensureDatabase);
  await checkRedis(config.REDIS_URL, pingRedis);
  if (sandbox) {
    const args = sandboxArgs();
    world = await startOutsideWorld({
      providers: args.providers,
      cryptopayPort: config.CRYPTOPAY_EMULATOR_PORT,
      wataPort: config.WATA_EMULATOR_PORT,
      heleketPort: config.HELEKET_EMULATOR_PORT,
      plategaPort: config.PLATEGA_EMULATOR_PORT,
      xrocketPort: config.XROCKET_EMULATOR_PORT,
      severpayPort: config.SEVERPAY_EMULATOR_PORT,
      logger: logger.child({ name: 'emulators' }),
      telegramPort: config.EMULATOR_PORT,
      panelPort: config.PANEL_EMULATOR_PORT,
      yookassaPort: config.PAYMENT_EMULATOR_PORT,
      stateDir: sandboxDir,
    });
    ensureDashboardBuilt();
    const encryptionKey = config.ENCRYPTION_KEY ?? sandboxEncryptionKey();
    platform = await startPlatform({
      databaseUrl: targets.databaseUrl,
      schema: config.DATABASE_SCHEMA,
      redisUrl: config.REDIS_URL,
      queuePrefix: sandboxQueuePrefix(config.QUEUE_PREFIX),
      encryptionKey,
      world,
      webhooksPort: config.WEBHOOKS_PORT,
      adminApiPort: config.ADMIN_API_PORT,
      logLevel: config.LOG_LEVEL,
      baseEnv: readEnv(),
      // The admin bot too, with the sandbox owner (`npm run sandbox:chat -- --as admin`).
      extraEnv: {
        LOG_PRETTY: 'true',
        ADMIN_BOT_TOKEN: world.adminBotToken,
        ADMIN_IDS: String(SANDBOX_OWNER_ID),
        CLIENT_BOT_USERNAME: SANDBOX_CLIENT_BOT_USERNAME,
      },
    });
    if (platform.overridden.length > 0) {
      logger.info(
        { overridden: platform.overridden },
        "sandbox mode replaces these settings of your environment/.env with the emulators' (set CLIENT_BOT_TOKEN, or SANDBOX=false, to use them)",
      );
    }
    logger.info(
      {
        telegramEmulator: world.telegram.url,
        webhooks: platform.webhooksUrl,
        providers: world.providers.join(','),
        yookassaCheckout: `${world.yookassa.url}/checkout/<payment id>`,
        cryptopayPayPage: `${world.cryptopay.url}/invoice/<invoice id>`,
        wataPayPage: `${world.wata.url}/pay/<link id>`,
        heleketPayPage: `${world.heleket.url}/pay/<invoice uuid>`,
        plategaPayPage: `${world.platega.url}/pay/<transaction id>`,
        xrocketPayPage: `${world.xrocket.url}/pay/<invoice id>`,
        severpayPayPage: `${world.severpay.url}/pay/<uid>`,
      },
      'sandbox is up: talk to the bot with `pnpm sandbox:chat` (the admin bot: `pnpm sandbox:chat --as admin`) in another terminal (Ctrl+C here stops everything)',
    );
    // A sign-in link is a credential: printed for the operator at the terminal, never in a log line.
    const link = await sandboxAdminLink({
      databaseUrl: targets.databaseUrl,
      schema: config.DATABASE_SCHEMA,
      encryptionKey,
      adminApiUrl: platform.adminApiUrl,
    });
    process.stdout.write(`\nWeb dashboard as the sandbox owner (one-time link, 10 minutes): ${link}\n\n`);
  } else {
    // Real bot tokens: the same processes against the real Telegram, panels and providers.
    if (!config.ENCRYPTION_KEY) {
      throw new StartupError('ENCRYPTION_KEY is required outside the sandbox: set it in .env (openssl rand -hex 32).');
    }
    platform = await startPlatform({
      databaseUrl: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      redisUrl: config.REDIS_URL,
      queuePrefix: config.QUEUE_PREFIX,
      encryptionKey: config.ENCRYPTION_KEY,
      webhooksPort: config.WEBHOOKS_PORT,
      adminApiPort: config.ADMIN_API_PORT,
      baseEnv: readEnv(),
    });
    logger.info({ webhooks: platform.webhooksUrl, adminApi: platform.adminApiUrl }, 'platform is up (Ctrl+C stops everything)');
  }
} catch (error) {
  // Stopped by Ctrl+C while starting: the processes it killed did not "fail".
  if (stopping) await new Promise(() => undefined);
  // One readable line (what is wrong, what to do), no stack: see startup-errors.ts.
  logger.error(`the platform did not start: ${explainStartupError(error, targets)}`);
  await platform?.stop();
  await stopAllServices();
  await world?.close();
  process.exit(1);
}
