/**
 * Grants a Telegram user access to the admin and support bots (or changes their role).
 *   pnpm admin:create --telegram-id 123456789 --role owner [--name "Anna"]
 */
import { parseArgs } from 'node:util';
import { ADMIN_ROLES, type AdminRole } from '@vpn/db';
import { runDatabaseScript, UsageError } from './db-script.js';

const isRole = (value: string): value is AdminRole => (ADMIN_ROLES as readonly string[]).includes(value);

await runDatabaseScript('create-admin', async ({ db, logger }) => {
  const { values } = parseArgs({
    options: {
      'telegram-id': { type: 'string' },
      role: { type: 'string', default: 'admin' },
      name: { type: 'string' },
    },
  });
  const raw = values['telegram-id'] ?? '';
  const telegramId = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(telegramId) || telegramId <= 0) {
    throw new UsageError(`--telegram-id must be a positive Telegram user id, got "${raw}"`);
  }
  if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ADMIN_ROLES.join(', ')}, got "${values.role}"`);
  const role = values.role;
  const { admin, created } = await db.transaction(async (transaction) => {
    const result = await db.repos.admins.upsert({ telegramId, role, name: values.name ?? null }, { transaction });
    await db.repos.auditLog.append(
      {
        actorKind: 'system',
        action: result.created ? 'admin.create' : 'admin.update',
        entity: 'admin',
        entityId: String(telegramId),
        data: { role },
      },
      { transaction },
    );
    return result;
  });
  logger.info({ telegramId: admin.telegramId, role: admin.role, created }, created ? 'admin created' : 'admin updated');
});
