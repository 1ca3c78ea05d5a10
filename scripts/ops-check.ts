/**
 * The go-live check: `pnpm ops:check` with the production environment (under docker compose:
 * `docker compose run --rm migrate pnpm ops:check`). Read-only calls only: each bot token
 * (getMe), the staff forum and both bots' rights there, each bot's webhook, the database and its
 * migrations, each active VPN panel (login through its adapter), each enabled payment provider's
 * keys. One line per check, ✓ / ✗ with the fix / – not checkable; exit 1 on any ✗. Secrets never
 * reach the output (every line is redacted against the configured ones).
 */
import {
  baseSchema,
  botTokensSchema,
  ConfigError,
  databaseSchema,
  deploySchema,
  encryptionSchema,
  loadConfig,
  paymentsSchema,
  telegramSchema,
  z,
} from '@vpn/config';
import { createDatabase, databaseOptionsFromConfig } from '@vpn/db';
import { checkPanels } from './ops-check/panels.js';
import { checkPayments } from './ops-check/payments.js';
import { fail, formatLine, ok, reason, type CheckLine } from './ops-check/report.js';
import { checkTelegram } from './ops-check/telegram.js';

const schema = z.object({
  ...baseSchema.shape,
  ...databaseSchema.shape,
  ...encryptionSchema.shape,
  ...telegramSchema.shape,
  ...botTokensSchema.shape,
  ...paymentsSchema.shape,
  ...deploySchema.shape,
});
type OpsConfig = z.output<typeof schema>;

const SECRET_KEYS = [
  'ENCRYPTION_KEY',
  'CLIENT_BOT_TOKEN',
  'SUPPORT_BOT_TOKEN',
  'ADMIN_BOT_TOKEN',
  'BOT_WEBHOOK_SECRET',
  'YOOKASSA_SECRET_KEY',
  'CRYPTOPAY_TOKEN',
  'WATA_TOKEN',
  'HELEKET_PAYMENT_KEY',
  'PLATEGA_SECRET',
  'XROCKET_TOKEN',
  'SEVERPAY_TOKEN',
  'STARS_FORWARD_SECRET',
] as const;

function secretsOf(config: OpsConfig): string[] {
  const secrets: string[] = SECRET_KEYS.map((k) => config[k]).filter((v): v is string => typeof v === 'string');
  const password = URL.canParse(config.DATABASE_URL) ? new URL(config.DATABASE_URL).password : '';
  if (password) secrets.push(decodeURIComponent(password), password);
  return secrets;
}

/** In webhook mode the secret is all that tells Telegram's POSTs from a forger's. */
function checkWebhookSecret(config: OpsConfig): CheckLine[] {
  if (config.BOT_MODE !== 'webhook' && config.DOMAIN === undefined) return [];
  return (config.BOT_WEBHOOK_SECRET ?? '').length >= 32
    ? [ok('webhook', 'BOT_WEBHOOK_SECRET is set (32+ characters)')]
    : [fail('webhook', 'BOT_WEBHOOK_SECRET must be 32+ characters in webhook mode: openssl rand -hex 32')];
}

async function checkDatabaseAndPanels(config: OpsConfig, secrets: string[]): Promise<CheckLine[]> {
  const db = createDatabase(databaseOptionsFromConfig(config));
  try {
    await db.ping();
    const pending = (await db.migrator().pending()).map((m) => m.name);
    const lines = [
      pending.length === 0
        ? ok('database', `reachable, schema ${db.schema} up to date`)
        : fail('database', `${pending.length} migration(s) pending (${pending.join(', ')}): pnpm db:migrate`),
    ];
    return [...lines, ...(await checkPanels(db, secrets))];
  } catch (error) {
    return [fail('database', `${reason(error)}: check DATABASE_URL and that PostgreSQL runs`)];
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  let config: OpsConfig;
  try {
    config = loadConfig(schema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A bad value may be a secret pasted in the wrong place: say which key, never the value.
    for (const issue of error.issues) process.stdout.write(`✗ config: ${issue}\n`);
    return 1;
  }
  const secrets = secretsOf(config);
  let failed = false;
  const print = (lines: CheckLine[]) => {
    for (const line of lines) {
      failed ||= line.status === 'fail';
      process.stdout.write(`${formatLine(line, secrets)}\n`);
    }
  };
  print(await checkTelegram(config));
  print(checkWebhookSecret(config));
  print(await checkDatabaseAndPanels(config, secrets));
  print(await checkPayments(config));
  process.stdout.write(failed ? '\nSome checks failed: fix the ✗ lines and run pnpm ops:check again.\n' : '\nAll checks passed.\n');
  return failed ? 1 : 0;
}

process.exitCode = await main();
