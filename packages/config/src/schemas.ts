import { z } from 'zod';

/**
 * Composable environment schemas. Each process merges the ones it needs
 * (`z.object({...base.shape, ...database.shape})`), so a bot never demands a provider key
 * and the webhooks service never demands a bot token.
 */

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

export const baseSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
});

export const databaseSchema = z.object({
  /** PostgreSQL connection string (postgres://user:password@host:port/database). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/vpn'),
  /** Most connections this process's pool holds open; the client bot holds one more, its LISTEN for row changes (per replica: keep the sum under PostgreSQL's max_connections). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Schema every connection works in (search_path): tests and benches use their own. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('public'),
});

export const redisSchema = z.object({
  /** Redis for queues, sessions and rate limits; give it persistence (AOF) in production. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key (queues, sessions, limits): environments sharing one Redis never mix. */
  QUEUE_PREFIX: z.string().min(1).default('vpn'),
});

export const encryptionSchema = z.object({
  /** 32 bytes as 64 hex characters or base64; protects panel credentials and provider keys at rest. */
  ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)',
    ),
});

/** A bot runs with a token from BotFather, or in sandbox mode against the emulator without one. */
export const telegramSchema = z.object({
  /** Bot API root without a trailing slash; the sandbox points it at the emulator. */
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  /** How bots get updates: long polling, or a webhook (then BOT_WEBHOOK_URL and BOT_WEBHOOK_SECRET). */
  BOT_MODE: z.enum(['polling', 'webhook']).default('polling'),
  /** Public https URL Telegram posts updates to (webhook mode). */
  BOT_WEBHOOK_URL: z.string().url().optional(),
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token with every webhook update (1-256 of A-Z a-z 0-9 _ -). */
  BOT_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/)
    .optional(),
  /** Port a bot's webhook server listens on (behind the TLS proxy). */
  BOT_WEBHOOK_PORT: port.default(8081),
});

/**
 * The shared per-token send limiter (every process sending as a bot: its replies, the worker's
 * notifications, relays and broadcasts). Paid broadcasts are switched on by the operator setting
 * `broadcast.allowPaid`; this is only their rate.
 */
export const sendLimitSchema = z.object({
  /** Messages a second one bot sends in all, every process together (Telegram allows about 30). */
  TELEGRAM_GLOBAL_RATE: z.coerce.number().positive().max(1_000).default(25),
  /** Messages a second to one private chat (Telegram allows about 1, with short bursts). */
  TELEGRAM_CHAT_RATE: z.coerce.number().positive().max(30).default(1),
  /** Messages a second of a paid broadcast (allow_paid_broadcast, 0.1 Star each beyond the free rate; Telegram: up to 1000). */
  TELEGRAM_PAID_BROADCAST_RATE: z.coerce.number().positive().max(1_000).default(1_000),
});

export const botTokensSchema = z.object({
  /** The customer bot's token from BotFather; without it `npm start` runs the sandbox. */
  CLIENT_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{10,}$/, 'must look like 123456:ABC...')
    .optional(),
  /** The support bot's token (staff forum supergroup). */
  SUPPORT_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{10,}$/, 'must look like 123456:ABC...')
    .optional(),
  /** The admin bot's token. */
  ADMIN_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{10,}$/, 'must look like 123456:ABC...')
    .optional(),
  /** The staff forum supergroup (negative id) where the support bot opens a topic per customer. */
  SUPPORT_CHAT_ID: z.coerce.number().int().optional(),
  /** Telegram ids allowed into the admin bot before any admin exists in the database (comma-separated). */
  ADMIN_IDS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated Telegram ids')
    .transform((v) => v.split(',').map(Number))
    .optional(),
  /** The client bot's @username without the @: the admin bot shows promo code links `t.me/<it>?start=promo_<CODE>`. */
  CLIENT_BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram bot username without @')
    .optional(),
});

export const httpSchema = z.object({
  /** Public port of the webhooks service (provider notifications, /go pages); health and metrics are on HEALTH_PORT. */
  WEBHOOKS_PORT: port.default(8080),
  /** Address the webhooks service binds to. */
  WEBHOOKS_HOST: z.string().default('0.0.0.0'),
  /** The public https base URL of the webhooks service (payment return pages, app-import redirects). */
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:8080'),
});

/**
 * Production with GO_LINK_SECRET set (one-tap "add to app" links) needs PUBLIC_BASE_URL to be the
 * webhooks service's public https origin: Telegram opens only https buttons, and the default
 * (http://127.0.0.1:8080) reaches no customer. Add with `.superRefine(requireHttpsPublicBaseUrl)`
 * to a process schema that has NODE_ENV, PUBLIC_BASE_URL and GO_LINK_SECRET.
 */
export function requireHttpsPublicBaseUrl(
  config: { NODE_ENV?: string; PUBLIC_BASE_URL?: string; GO_LINK_SECRET?: string },
  ctx: z.RefinementCtx,
): void {
  if (config.NODE_ENV !== 'production' || !config.GO_LINK_SECRET || !config.PUBLIC_BASE_URL) return;
  let url: URL | undefined;
  try {
    url = new URL(config.PUBLIC_BASE_URL);
  } catch {
    return; // the field's own url check reports it
  }
  if (url.protocol !== 'https:' || ['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(url.hostname)) {
    ctx.addIssue({
      code: 'custom',
      path: ['PUBLIC_BASE_URL'],
      message: `must be the public https URL of the webhooks service in production when GO_LINK_SECRET is set (Telegram opens only https links); got ${url.origin}`,
    });
  }
}

/**
 * In production a bot in webhook mode needs `BOT_WEBHOOK_SECRET` of at least 32 characters: the
 * secret is all that tells Telegram's POSTs from anyone's, and a guessed one lets a forged
 * `successful_payment` update reach the bot.
 */
export function requireStrongWebhookSecret(
  config: { NODE_ENV?: string; BOT_MODE?: string; BOT_WEBHOOK_SECRET?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (config.NODE_ENV !== 'production' || config.BOT_MODE !== 'webhook') return;
  if ((config.BOT_WEBHOOK_SECRET ?? '').length < 32) {
    ctx.addIssue({
      code: 'custom',
      path: ['BOT_WEBHOOK_SECRET'],
      message: 'must be at least 32 characters in production webhook mode (A-Z a-z 0-9 _ -), so updates cannot be forged',
    });
  }
}

/** Every process answers GET /healthz and GET /metrics on its ops port when set. */
export const healthSchema = z.object({
  /** Ops port: GET /healthz and /metrics (Prometheus) of every process, /readyz of the webhooks service (compose probes it, Prometheus scrapes it, never published); unset = none. */
  HEALTH_PORT: port.optional(),
});

export const sandboxSchema = z.object({
  /** `npm start` with the emulators (true) or the real Telegram, panels and providers (false); unset = sandbox when CLIENT_BOT_TOKEN is unset. */
  SANDBOX: bool.optional(),
  /** Sandbox: port of the Telegram Bot API emulator. */
  EMULATOR_PORT: port.default(8090),
  /** Sandbox: port of the Marzban panel emulator. */
  PANEL_EMULATOR_PORT: port.default(8091),
  /** Sandbox: port of the YooKassa emulator. */
  PAYMENT_EMULATOR_PORT: port.default(8092),
  /** Sandbox: port of the Crypto Pay emulator (its pay page: /invoice/<id>). */
  CRYPTOPAY_EMULATOR_PORT: port.default(8093),
  /** Sandbox: port of the WATA emulator (its pay page: /pay/<id>). */
  WATA_EMULATOR_PORT: port.default(8094),
  /** Sandbox: port of the Heleket emulator (its pay page: /pay/<invoice uuid>). */
  HELEKET_EMULATOR_PORT: port.default(8095),
  /** Sandbox: port of the Platega emulator (its pay page: /pay/<transaction id>). */
  PLATEGA_EMULATOR_PORT: port.default(8096),
  /** Sandbox: port of the xRocket Pay emulator (its pay page: /pay/<invoice id>). */
  XROCKET_EMULATOR_PORT: port.default(8097),
  /** Sandbox: port of the Sever Pay emulator (its pay page: /pay/<uid>). */
  SEVERPAY_EMULATOR_PORT: port.default(8098),
  /** Sandbox: where the sandbox keeps its encryption key and the emulated panel's accounts between runs (relative to the repository root). */
  SANDBOX_DATA_DIR: z.string().min(1).default('.sandbox'),
});

export const paymentsSchema = z.object({
  /** Payment methods customers may choose, in order: yookassa, cryptopay, stars, wata, heleket, platega, xrocket, severpay. */
  PAYMENT_PROVIDERS: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/, 'must be a comma-separated list such as yookassa,stars')
    .default('stars')
    .transform((v) => v.split(',')),
  /** YooKassa shop id (HTTP Basic user). */
  YOOKASSA_SHOP_ID: z.string().optional(),
  /** YooKassa secret key (HTTP Basic password). */
  YOOKASSA_SECRET_KEY: z.string().optional(),
  /** YooKassa API root (the emulator in the sandbox). */
  YOOKASSA_API_URL: z.string().url().default('https://api.yookassa.ru/v3'),
  /** Crypto Pay app token from @CryptoBot (also the key of its webhook signatures). */
  CRYPTOPAY_TOKEN: z.string().optional(),
  /** Crypto Pay API root (testnet: https://testnet-pay.crypt.bot/api). */
  CRYPTOPAY_API_URL: z.string().url().default('https://pay.crypt.bot/api'),
  /** WATA API token (Bearer). */
  WATA_TOKEN: z.string().optional(),
  /** WATA H2H API root (sandbox: https://api-sandbox.wata.pro/api/h2h). */
  WATA_API_URL: z.string().url().default('https://api.wata.pro/api/h2h'),
  /** Timeout of every provider HTTP call. */
  PAYMENT_HTTP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(10_000),
  /** Where providers send the customer after paying (a t.me link to the client bot) when a payment names none. */
  PAYMENT_RETURN_URL: z.string().url().optional(),
  /** Replaces YooKassa's published notification senders (comma-separated IPs / CIDRs), e.g. 127.0.0.1 for the sandbox. */
  YOOKASSA_ALLOWED_IPS: z
    .string()
    .regex(/^[0-9a-fA-F:./]+(\s*,\s*[0-9a-fA-F:./]+)*$/, 'must be comma-separated IPs or CIDR ranges')
    .transform((v) => v.split(',').map((x) => x.trim()))
    .optional(),
  /** 54-FZ receipts on YooKassa payments and refunds. */
  YOOKASSA_RECEIPT_ENABLED: bool.default(true),
  /** 54-FZ VAT code of receipt items (1 = without VAT). */
  YOOKASSA_VAT_CODE: z.coerce.number().int().min(1).max(12).default(1),
  /** 54-FZ payment subject of receipt items (a VPN subscription is a service). */
  YOOKASSA_PAYMENT_SUBJECT: z.string().min(1).default('service'),
  /** 54-FZ payment mode of receipt items. */
  YOOKASSA_PAYMENT_MODE: z.string().min(1).default('full_payment'),
  /** Receipt email when the customer gave none (YooKassa's own receipts require an email). */
  YOOKASSA_RECEIPT_EMAIL: z.string().email().optional(),
  /** Older Crypto Pay updates are refused as replays; retries last 3 days, so the default is 4 days. */
  CRYPTOPAY_WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().min(60).default(345_600),
  /** Seconds a Crypto Pay invoice stays payable. */
  CRYPTOPAY_INVOICE_EXPIRES_IN: z.coerce.number().int().min(1).max(2_678_400).default(3600),
  /** Crypto assets an invoice accepts (comma-separated, e.g. USDT,TON); unset = all. */
  CRYPTOPAY_ACCEPTED_ASSETS: z
    .string()
    .regex(/^[A-Z]+(,[A-Z]+)*$/, 'must be comma-separated assets such as USDT,TON')
    .optional(),
  /** Defaults to `${WATA_API_URL}/public-key`; sandbox and production keys differ. */
  WATA_PUBLIC_KEY_URL: z.string().url().optional(),
  /** Minutes a WATA payment link stays payable. */
  WATA_LINK_TTL_MINUTES: z.coerce.number().int().min(10).max(43_200).default(60),
  /** Shared by the client bot and the webhooks service to sign forwarded Telegram Stars payments. */
  STARS_FORWARD_SECRET: z.string().min(16).optional(),
  /** Heleket merchant uuid (`merchant` header). */
  HELEKET_MERCHANT_ID: z.string().optional(),
  /** Heleket payment API key (not the payout key): signs requests and webhooks. */
  HELEKET_PAYMENT_KEY: z.string().optional(),
  /** Heleket API root. */
  HELEKET_API_URL: z.string().url().default('https://api.heleket.com'),
  /** Heleket webhook senders (comma-separated IPs / CIDRs; `any` turns the check off); unset = 31.133.220.8 (UNVERIFIED, see packages/payments README). */
  HELEKET_ALLOWED_IPS: z
    .string()
    .regex(/^(any|[0-9a-fA-F:./]+(\s*,\s*[0-9a-fA-F:./]+)*)$/, 'must be comma-separated IPs or CIDR ranges, or any')
    .transform((v) => (v === 'any' ? [] : v.split(',').map((x) => x.trim())))
    .optional(),
  /** `url_callback` of Heleket invoices (https://<webhooks host>/webhooks/heleket); unset = the URL set in Heleket's cabinet. */
  HELEKET_CALLBACK_URL: z.string().url().optional(),
  /** Seconds a Heleket invoice stays payable. */
  HELEKET_INVOICE_LIFETIME_SECONDS: z.coerce.number().int().min(300).max(43_200).default(3600),
  /** Platega merchant uuid (`X-MerchantId`; callbacks carry it back). */
  PLATEGA_MERCHANT_ID: z.string().optional(),
  /** Platega API secret (`X-Secret`; callbacks carry it back: their only authenticity). */
  PLATEGA_SECRET: z.string().optional(),
  /** Platega API root (UNVERIFIED; some integrations use https://api.platega.io). */
  PLATEGA_API_URL: z.string().url().default('https://app.platega.io'),
  /** Platega `paymentMethod`: 2 SBP QR, 11 card (МИР), 12 international card, 13 crypto, 14 SberPay. */
  PLATEGA_PAYMENT_METHOD: z.coerce.number().int().default(2),
  /** xRocket Pay app token (legacy Rocket Pay API, `Rocket-Pay-Key`; also the webhook key). */
  XROCKET_TOKEN: z.string().optional(),
  /** xRocket Pay API root (testnet host UNVERIFIED: https://dev-pay.xrocket.tg or https://pay.testnet.xrocket.tg). */
  XROCKET_API_URL: z.string().url().default('https://pay.xrocket.tg'),
  /** The crypto asset xRocket invoices are in (TONCOIN, USDT, …). */
  XROCKET_ASSET: z
    .string()
    .regex(/^[A-Z]+$/)
    .default('USDT'),
  /** Units of the plan's currency per one asset unit (e.g. 95 RUB per USDT): xRocket invoices are in crypto only. */
  XROCKET_RATE: z.coerce.number().positive().optional(),
  /** Decimals of xRocket invoice amounts (rounded up). */
  XROCKET_DECIMALS: z.coerce.number().int().min(0).max(9).default(2),
  /** Seconds an xRocket invoice stays payable (0–86400; 0 = never expires). */
  XROCKET_INVOICE_EXPIRES_IN: z.coerce.number().int().min(0).max(86_400).default(3600),
  /** Sever Pay merchant id (`mid`). */
  SEVERPAY_MID: z.coerce.number().int().positive().optional(),
  /** Sever Pay secret token (HMAC key of requests and webhooks). */
  SEVERPAY_TOKEN: z.string().optional(),
  /** Sever Pay merchant API root. */
  SEVERPAY_API_URL: z.string().url().default('https://severpay.io/api/merchant'),
  /** Minutes a Sever Pay payment link stays payable (30–4320). */
  SEVERPAY_LIFETIME_MINUTES: z.coerce.number().int().min(30).max(4320).default(60),
});

/**
 * YooKassa with 54-FZ receipts (on by default) needs an email for every receipt: "Чеки от ЮKassa"
 * refuses a receipt without one, so each payment would be refused with 400. The client bot never
 * asks customers for an email, so YOOKASSA_RECEIPT_EMAIL (the shop's receipts address) is
 * required in that combination. Add with `.superRefine(requireYooKassaReceiptEmail)` to a schema
 * of a process that creates YooKassa payments or refunds (client bot, worker).
 */
export function requireYooKassaReceiptEmail(
  config: { PAYMENT_PROVIDERS?: readonly string[]; YOOKASSA_RECEIPT_ENABLED?: boolean; YOOKASSA_RECEIPT_EMAIL?: string },
  ctx: z.RefinementCtx,
): void {
  if (!config.PAYMENT_PROVIDERS?.includes('yookassa') || config.YOOKASSA_RECEIPT_ENABLED === false || config.YOOKASSA_RECEIPT_EMAIL) return;
  ctx.addIssue({
    code: 'custom',
    path: ['YOOKASSA_RECEIPT_EMAIL'],
    message:
      "is required when yookassa is enabled with 54-FZ receipts (YOOKASSA_RECEIPT_ENABLED, default true): the bot collects no customer email and YooKassa refuses a receipt without one (400 on every payment); set the shop's receipts address, or YOOKASSA_RECEIPT_ENABLED=false",
  });
}

/** The webhooks service (payment notifications, app-import pages). */
export const webhooksSchema = z.object({
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (YooKassa is verified by sender IP). */
  WEBHOOKS_TRUST_PROXY: bool.default(false),
  /** Largest notification body accepted; bigger ones get 413 before anything is parsed. */
  WEBHOOKS_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(10 * 1_048_576)
    .default(65_536),
  /** HMAC key for the opaque tokens of `GET /go/<token>` (app-import redirect pages). */
  GO_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
});

/** The worker: processors and schedules. */
export const workerSchema = z.object({
  /** Jobs of each queue this process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * The queues this replica serves (comma-separated names, e.g. `settlement,outbox-dispatch`), so
   * money, panels and messages can be scaled apart; unset = every queue.
   */
  WORKER_QUEUES: z
    .string()
    .regex(/^[a-z-]+(,[a-z-]+)*$/, 'must be comma-separated queue names such as settlement,provisioning')
    .transform((v) => v.split(','))
    .optional(),
  /** Register the repeatable schedules (reminders, sweeps, polls) at start-up; idempotent across replicas. */
  WORKER_SCHEDULES: bool.default(true),
  /** A payment still pending this long is polled from its provider (webhook fallback). */
  PAYMENT_POLL_AFTER_MINUTES: z.coerce.number().int().min(1).max(1_440).default(10),
  /** Multiplies every retry delay (1 in production; tests shrink backoff ladders with e.g. 0.01). */
  QUEUE_BACKOFF_SCALE: z.coerce.number().positive().max(10).default(1),
  /** How often the outbox is swept for rows a crash left behind (settlement also dispatches at once). */
  OUTBOX_DISPATCH_EVERY_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** A job whose worker died is taken over once its lock lapses (Bull lockDuration). */
  QUEUE_LOCK_DURATION_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** How often lapsed locks are looked for (Bull stalledInterval). */
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** How often every panel is probed (login, version, health) so placement avoids the down ones. */
  SERVER_HEALTH_EVERY_MS: z.coerce.number().int().min(5_000).max(3_600_000).default(60_000),
  /** Longest wait at start-up for the first probe of every panel before jobs are taken anyway. */
  SERVER_CHECK_AT_START_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(20_000),
  /**
   * How long a broadcast sender's claim on a batch of recipients lasts: a worker that dies leaves
   * its untried rows to the others after this (and sends a row only while a quarter of it is left).
   */
  BROADCAST_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(600_000),
  /** When panels are reconciled with the database (cron, UTC): report, audit log, safe repairs. */
  VPN_RECONCILE_CRON: z
    .string()
    .regex(/^\S+( \S+){4}$/, 'must be a five-field cron expression')
    .default('15 */6 * * *'),
  /**
   * What reconciliation does with panel users of ours the database does not know: `report` only
   * (default), or `disable` / `delete` them — an explicit operator policy, since both cut access.
   */
  VPN_RECONCILE_ORPHANS: z.enum(['report', 'disable', 'delete']).default('report'),
  /** When the worker backs the database up with `pg_dump -Fc` (cron, UTC, e.g. `30 2 * * *`); unset = no backups. Keeps 7 daily and 4 weekly. */
  BACKUP_CRON: z
    .string()
    .regex(/^\S+( \S+){4}$/, 'must be a five-field cron expression')
    .optional(),
  /** Where the backups go (a volume of its own; compose: /backups); pg_dump of the server's major version must be installed. */
  BACKUP_DIR: z.string().min(1).default('backups'),
  /**
   * Fault injection for the crash tests only (honoured when NODE_ENV=test): the worker SIGKILLs
   * itself at this step, e.g. `settlement:before-commit`. Never set it anywhere else.
   */
  WORKER_CRASH_AT: z
    .string()
    .regex(/^[a-z-]+:[a-z-]+$/)
    .optional(),
});

/** The admin REST API and web dashboard (`services/admin-api`). */
export const adminApiSchema = z.object({
  /** Port of the admin API and web dashboard (put it behind the TLS proxy; it sets Secure cookies). */
  ADMIN_API_PORT: port.default(8088),
  /** Address the admin API binds to. */
  ADMIN_API_HOST: z.string().default('0.0.0.0'),
  /** HMAC key of the short-lived access tokens (at least 32 characters); required in production. */
  ADMIN_API_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Lifetime of an access token; the dashboard refreshes it with its refresh token. */
  ADMIN_API_ACCESS_TTL_SECONDS: z.coerce.number().int().min(60).max(3_600).default(900),
  /** Lifetime of a sign-in (refresh token) without use. */
  ADMIN_API_REFRESH_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** Behind a reverse proxy: take the client IP (rate limits) from the last X-Forwarded-For hop. */
  ADMIN_API_TRUST_PROXY: bool.default(false),
});

/** The deployment around the processes (docker compose), as `pnpm ops:check` reads it. */
export const deploySchema = z.object({
  /** docker compose: this machine's public name (Caddy's certificates; the bots' webhooks are https://DOMAIN/tg/<bot>, which `pnpm ops:check` expects). */
  DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a host name such as vpn.example.com')
    .optional(),
});

export const allSchemas = {
  baseSchema,
  databaseSchema,
  redisSchema,
  encryptionSchema,
  telegramSchema,
  sendLimitSchema,
  botTokensSchema,
  httpSchema,
  healthSchema,
  sandboxSchema,
  paymentsSchema,
  webhooksSchema,
  workerSchema,
  adminApiSchema,
  deploySchema,
} as const;

/** Every key any process may read: used by the compose test and the README's configuration table. */
export function knownKeys(): string[] {
  return Object.values(allSchemas).flatMap((s) => Object.keys(s.shape));
}

/** What every bot process reads: base, PostgreSQL, Redis, encryption at rest, Telegram, the health port. */
export const botProcessShape = {
  ...baseSchema.shape,
  ...databaseSchema.shape,
  ...redisSchema.shape,
  ...encryptionSchema.shape,
  ...telegramSchema.shape,
  ...healthSchema.shape,
};
