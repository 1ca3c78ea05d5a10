import { randomUUID } from 'node:crypto';
import { loadConfig, readEnv, redisSchema } from '@vpn/config';
import { seedDefaults } from '@vpn/db';
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '@vpn/db/testing';
import { createI18n } from '@vpn/i18n';
import { freePort, startService, type RunningService } from '@vpn/scripts/platform';
import { createEmulator, labelsOf, type Emulator } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = '7300000009:AdminBotProcessTestToken00000000';
const OWNER = 4_200_000_001;

describe('the admin bot process (main.ts): ADMIN_IDS makes the owner, strangers get nothing', () => {
  let emulator: Emulator;
  let db: TestDatabase;
  let bot: RunningService;
  beforeAll(async () => {
    emulator = await createEmulator({ rateLimits: false, bots: [{ token: TOKEN, username: 'vpn_admin_e2e_bot', firstName: 'Admin' }] });
    db = await createTestDatabase();
    await db.truncateAll();
    await seedDefaults(db);
    const port = await freePort();
    bot = await startService(
      {
        name: 'admin-bot',
        entry: 'bots/admin/src/main.ts',
        healthUrl: `http://127.0.0.1:${port}/healthz`,
        env: {
          ...readEnv(),
          LOG_LEVEL: 'warn',
          DATABASE_URL: db.url,
          DATABASE_SCHEMA: db.schema,
          DATABASE_POOL_MAX: '3',
          REDIS_URL: loadConfig(redisSchema).REDIS_URL,
          QUEUE_PREFIX: `t_admin_e2e_${randomUUID().slice(0, 8)}`,
          ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
          TELEGRAM_API_ROOT: emulator.apiRoot,
          ADMIN_BOT_TOKEN: TOKEN,
          ADMIN_IDS: String(OWNER),
          HEALTH_PORT: String(port),
        },
      },
      { mode: 'ignore' },
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await emulator?.close();
    await db?.close();
  });

  it('answers the owner with the main menu and nobody else', async () => {
    const t = createI18n().forLanguage('en');
    const tg = emulator.client;
    const stranger = await tg.createUser({ firstName: 'Eve', languageCode: 'en' });
    const owner = await tg.createUser({ id: OWNER, firstName: 'Olga', languageCode: 'en' });
    await tg.sendCommand({ from: stranger.id, bot: TOKEN, command: 'start' });
    await tg.sendCommand({ from: owner.id, bot: TOKEN, command: 'menu' });
    const menu = await tg.waitForMessage({ chatId: owner.id, bot: TOKEN, timeoutMs: 20_000 });
    expect(labelsOf(menu)).toEqual(expect.arrayContaining([t('admin.customers.menu'), t('admin.servers.menu'), t('admin.admins.menu')]));
    expect(await db.repos.admins.findActiveByTelegramId(OWNER)).toMatchObject({ role: 'owner' });
    expect(await tg.getMessages({ chatId: stranger.id, bot: TOKEN })).toEqual([]);
  });
});
