/**
 * A one-time link that signs an admin in to the web dashboard (valid ten minutes, single use):
 *   pnpm admin:web-code --telegram-id 123456789 [--base-url https://admin.example.com]
 * The admin must exist and be active (pnpm admin:create). Only the code's hash is stored.
 */
import { parseArgs } from 'node:util';
import { adminApiSchema, loadConfig } from '@vpn/config';
import { LOGIN_CODE_TTL_SECONDS } from '@vpn/db';
import { runDatabaseScript, UsageError } from './db-script.js';

await runDatabaseScript('admin-web-code', async ({ db, logger }) => {
  const { values } = parseArgs({ options: { 'telegram-id': { type: 'string' }, 'base-url': { type: 'string' } } });
  const raw = values['telegram-id'] ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new UsageError(`--telegram-id must be a positive Telegram user id, got "${raw}"`);
  const admin = await db.repos.admins.findActiveByTelegramId(Number(raw));
  if (!admin) throw new UsageError(`no active admin with Telegram id ${raw}; add one with pnpm admin:create`);
  const base = values['base-url'] ?? `http://127.0.0.1:${loadConfig(adminApiSchema).ADMIN_API_PORT}`;
  if (!/^https?:\/\/[^\s/]+$/.test(base.replace(/\/$/, '')))
    throw new UsageError(`--base-url must be an origin such as https://admin.example.com, got "${base}"`);
  const code = await db.repos.adminSessions.createLoginCode(admin.id, new Date(Date.now() + LOGIN_CODE_TTL_SECONDS * 1000));
  await db.repos.auditLog.append({ actorKind: 'system', action: 'admin.web_code', entity: 'admin', entityId: String(admin.id) });
  logger.info(
    { telegramId: admin.telegramId, validMinutes: LOGIN_CODE_TTL_SECONDS / 60 },
    'one-time sign-in link made (printed on stdout, not logged)',
  );
  process.stdout.write(`${base.replace(/\/$/, '')}/#code=${code}\n`);
});
