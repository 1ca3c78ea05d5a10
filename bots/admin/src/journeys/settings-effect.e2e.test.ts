import { randomUUID } from 'node:crypto';
import { SETTINGS_APPLY_SECONDS } from '@vpn/backoffice';
import { loadConfig, readEnv, redisSchema } from '@vpn/config';
import { TEST_ENCRYPTION_KEY } from '@vpn/db/testing';
import { freePort, startService, type RunningService } from '@vpn/scripts/platform';
import { labelsOf, type SentMessage, type TgUser } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

const CLIENT_TOKEN = '7300000011:AdminEffectClientBotToken0000000';

/**
 * What an operator changes in the admin bot reaches the client bot running as its own process
 * (`bots/client/src/main.ts`, its caches as in production) on the same database.
 */
describe('settings and FAQ changed in the admin bot take effect in the running client bot', () => {
  let w: AdminWorld;
  let client: RunningService;
  beforeAll(async () => {
    w = await startAdminWorld('effect', { otherBots: [{ token: CLIENT_TOKEN, username: 'vpn_effect_client_bot' }] });
    const port = await freePort();
    client = await startService(
      {
        name: 'client-bot',
        entry: 'bots/client/src/main.ts',
        healthUrl: `http://127.0.0.1:${port}/healthz`,
        env: {
          ...readEnv(),
          LOG_LEVEL: 'warn',
          DATABASE_URL: w.db.url,
          DATABASE_SCHEMA: w.db.schema,
          DATABASE_POOL_MAX: '3',
          REDIS_URL: loadConfig(redisSchema).REDIS_URL,
          QUEUE_PREFIX: `t_effect_${randomUUID().slice(0, 8)}`,
          ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
          TELEGRAM_API_ROOT: w.emulator.apiRoot,
          CLIENT_BOT_TOKEN: CLIENT_TOKEN,
          PUBLIC_BASE_URL: 'http://127.0.0.1:9',
          PAYMENT_PROVIDERS: 'stars',
          HEALTH_PORT: String(port),
        },
      },
      { mode: 'ignore' },
    );
  }, 120_000);
  afterAll(async () => {
    await client?.stop();
    await w?.close();
  });

  /** The client bot's answer to `/menu` from `customer`. */
  const clientMenu = async (customer: TgUser): Promise<SentMessage> => {
    await w.tg.sendCommand({ from: customer.id, bot: CLIENT_TOKEN, command: 'menu' });
    return w.tg.waitForMessage({ chatId: customer.id, bot: CLIENT_TOKEN, timeoutMs: 15_000 });
  };

  /** Asks `probe` every half second until it holds, at most `seconds`; returns how long it took. */
  const until = async (seconds: number, probe: () => Promise<boolean>): Promise<number> => {
    const started = Date.now();
    while (!(await probe())) {
      if (Date.now() - started > seconds * 1000) throw new Error(`not in ${seconds} s`);
      await new Promise((r) => setTimeout(r, 500));
    }
    return Date.now() - started;
  };

  it('the trial turned off in the admin bot disappears from the client bot’s menu within the promised time', async () => {
    const customer = await w.newUser('en', 'Cleo');
    const ct = w.i18n.forLanguage('en');
    await w.tg.start({ from: customer.id, bot: CLIENT_TOKEN });
    await w.tg.waitForMessage({ chatId: customer.id, bot: CLIENT_TOKEN, timeoutMs: 15_000 });
    expect(labelsOf(await clientMenu(customer))).toContain(ct('client.menu.trial'));

    const owner = await w.staff('owner');
    await w.menu(owner);
    await w.open(owner, owner.t('admin.settings.menu'));
    await w.open(owner, owner.t('admin.settings.rules.trialEnabled.label'));
    await w.press(owner, owner.t('admin.settings.turnOff'));
    await w.next(owner);

    await until(SETTINGS_APPLY_SECONDS, async () => !labelsOf(await clientMenu(customer)).includes(ct('client.menu.trial')));
  }, 60_000);
});
