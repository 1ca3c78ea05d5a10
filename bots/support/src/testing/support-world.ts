import { loadConfig, redisSchema } from '@vpn/config';
import { createBackofficeHarness, type BackofficeHarness } from '@vpn/backoffice/testing';
import { createChangeFeed, type AdminRole, type ChangeFeed } from '@vpn/db';
import { makeAdmin, makeUser } from '@vpn/db/testing';
import { createI18n } from '@vpn/i18n';
import { silentLogger } from '@vpn/logger';
import { createProducers } from '@vpn/queues';
import { createTestQueueFactory, type TestQueueFactory } from '@vpn/queues/testing';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import { createApi, startBot, type BotHandle } from '@vpn/telegram-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, vi } from 'vitest';
import { createSupportBot } from '../bot.js';
import { followChanges } from '../features/card/follow-changes.js';
import { createCardRefresher, type CardRefresher } from '../features/card/refresher.js';

export const SUPPORT = '7300000001:SupportBotIntegrationTestToken000';
export const CLIENT = '7300000002:ClientBotForSupportBotIntegration0';

/**
 * The support bot taking updates from the emulator, with the real database, queues and back
 * office (billing on a movable clock, a YooKassa emulator that refunds), a staff forum where both
 * bots are admins, the card refresher following the change feed.
 */
export interface SupportWorld {
  tg: Emulator;
  h: BackofficeHarness;
  queues: TestQueueFactory;
  cards: CardRefresher;
  chatId: number;
  /** A staff member in the forum who is an owner in the admins table. */
  staffId: number;
  i18n: ReturnType<typeof createI18n>;
  /** A forum member with an admins row of `role` (none: a forum member who is not staff). */
  member(role: AdminRole | null): Promise<number>;
  /** A customer with a topic, as the worker maps it on their first message. */
  customerTopic(user?: Awaited<ReturnType<BackofficeHarness['customer']>>): Promise<{ userId: number; threadId: number }>;
  eventually(check: () => Promise<void>, timeout?: number): Promise<void>;
}

export function useSupportWorld(): SupportWorld {
  const w = { i18n: createI18n() } as SupportWorld;
  let redis: Redis;
  let handle: BotHandle;
  let feed: ChangeFeed;

  beforeAll(async () => {
    const { REDIS_URL } = loadConfig(redisSchema);
    w.tg = await createEmulator({
      rateLimits: false,
      bots: [
        { token: SUPPORT, username: 'vpn_support_bot' },
        { token: CLIENT, username: 'vpn_client_bot' },
      ],
    });
    w.h = await createBackofficeHarness();
    w.queues = createTestQueueFactory(REDIS_URL);
    redis = new Redis(REDIS_URL);
    const staff = await w.tg.client.createUser({ firstName: 'Staff', languageCode: 'ru' });
    w.staffId = staff.id;
    await makeAdmin(w.h.db.repos, { role: 'owner', telegramId: staff.id, name: 'Staff' });
    w.chatId = (
      await w.tg.client.createSupergroup({
        title: 'Staff',
        adminIds: [staff.id],
        bots: [
          { bot: SUPPORT, admin: true },
          { bot: CLIENT, admin: true },
        ],
      })
    ).id;
    const logger = silentLogger();
    w.cards = createCardRefresher({
      api: createApi(SUPPORT, { apiRoot: w.tg.apiRoot }),
      db: w.h.db,
      i18n: w.i18n,
      chatId: w.chatId,
      logger,
      debounceMs: 50,
      minIntervalMs: 0,
    });
    feed = createChangeFeed({ url: w.h.db.url, schema: w.h.db.schema, retryDelayMs: 20 });
    followChanges(feed, w.h.db, w.cards);
    await feed.start();
    const bot = createSupportBot({
      token: SUPPORT,
      apiRoot: w.tg.apiRoot,
      logger,
      redis,
      i18n: w.i18n,
      db: w.h.db,
      backoffice: w.h.backoffice,
      cards: w.cards,
      producers: createProducers(w.queues),
      supportChatId: w.chatId,
      prefix: `${w.queues.prefix}:support:`,
    });
    handle = await startBot(bot, { mode: 'polling', logger, pollTimeoutSeconds: 1 });
  });
  afterAll(async () => {
    await handle?.stop();
    await w.cards?.close();
    await feed?.close();
    await w.queues?.cleanup();
    redis?.disconnect();
    await w.h?.db.close();
    await w.h?.yookassa.close();
    await w.tg?.close();
  });

  w.member = async (role) => {
    const user = await w.tg.client.createUser({ firstName: role ?? 'Guest', languageCode: 'ru' });
    await w.tg.client.addMember({ chatId: w.chatId, userId: user.id });
    if (role) await makeAdmin(w.h.db.repos, { role, telegramId: user.id, name: `${role} ${user.id}` });
    return user.id;
  };
  w.customerTopic = async (given) => {
    const user = given ?? (await makeUser(w.h.db.repos));
    const topic = await createApi(CLIENT, { apiRoot: w.tg.apiRoot }).createForumTopic(w.chatId, `Customer #${user.id}`);
    await w.h.db.repos.supportRelays.saveTopic(user.id, w.chatId, topic.message_thread_id);
    await w.h.db.repos.support.openOrGet({ userId: user.id, topicId: topic.message_thread_id });
    return { userId: user.id, threadId: topic.message_thread_id };
  };
  w.eventually = (check, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 50 });
  return w;
}
