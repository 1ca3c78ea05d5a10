import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, LOGIN_CODE_TTL_SECONDS } from '@vpn/db';

/** The sandbox's staff member: an owner who signs in to the dashboard without Telegram. */
export const SANDBOX_OWNER_TELEGRAM_ID = 100_000_001;

const webDir = join(import.meta.dirname, '..', '..', 'services', 'admin-api', 'web');

/** The dashboard is a built bundle: the sandbox builds it once (a checkout has no dist/). */
export function ensureDashboardBuilt(): void {
  if (existsSync(join(webDir, 'dist', 'index.html'))) return;
  const built = spawnSync('pnpm', ['--filter', '@vpn/admin-api', 'run', 'build:web'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the web dashboard failed (pnpm --filter @vpn/admin-api run build:web)');
}

/**
 * Makes sure the sandbox owner exists and returns a one-time link that signs them in (valid ten
 * minutes, good once; a restart prints a new one). Sandbox only: production admins use
 * `pnpm admin:web-code` or the admin bot.
 */
export async function sandboxAdminLink(options: {
  databaseUrl: string;
  schema: string;
  encryptionKey: string;
  adminApiUrl: string;
}): Promise<string> {
  const db = createDatabase({ url: options.databaseUrl, schema: options.schema, encryptionKey: options.encryptionKey, poolMax: 1 });
  try {
    const { admin } = await db.repos.admins.upsert({ telegramId: SANDBOX_OWNER_TELEGRAM_ID, role: 'owner', name: 'Sandbox owner' });
    const code = await db.repos.adminSessions.createLoginCode(admin.id, new Date(Date.now() + LOGIN_CODE_TTL_SECONDS * 1000));
    return `${options.adminApiUrl}/#code=${code}`;
  } finally {
    await db.close();
  }
}
