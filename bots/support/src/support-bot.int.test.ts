import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, redisSchema } from '@vpn/config';
import { createTestDatabase, makeUser, type TestDatabase } from '@vpn/db/testing';
import { createI18n } from '@vpn/i18n';
import { silentLogger } from '@vpn/logger';
import { createProducers } from '@vpn/queues';
import { createTestQueueFactory, type TestQueueFactory } from '@vpn/queues/testing';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import { createApi, startBot, type BotHandle } from '@vpn/telegram-kit';
import { Redis } from 'ioredis';
import { createSupportBot } from './bot.js';
import { checkForumRights } from './startup-check.js';

const SUPPORT = '7300000001:SupportBotIntegrationTestToken000';
const CLIENT = '7300000002:ClientBotForSupportBotIntegration0';

/** The support bot taking updates from the emulator, with the real database and queues. */
describe('support bot', () => {
  let tg: Emulator;
  let db: TestDatabase;
  let queues: TestQueueFactory;
  let redis: Redis;
  let handle: BotHandle;
  let chatId: number;
  let staffId: number;
  const i18n = createI18n();
  const t = i18n.forLanguage('ru');

  beforeAll(async () => {
    const { REDIS_URL } = loadConfig(redisSchema);
    tg = await createEmulator({
      rateLimits: false,
      bots: [
        { token: SUPPORT, username: 'vpn_support_bot' },
        { token: CLIENT, username: 'vpn_client_bot' },
      ],
    });
    db = await createTestDatabase();
    queues = createTestQueueFactory(REDIS_URL);
    redis = new Redis(REDIS_URL);
    const staff = await tg.client.createUser({ firstName: 'Staff', languageCode: 'ru' });
    staffId = staff.id;
    chatId = (
      await tg.client.createSupergroup({
        title: 'Staff',
        adminIds: [staff.id],
        bots: [
          { bot: SUPPORT, admin: true },
          { bot: CLIENT, admin: true },
        ],
      })
    ).id;
    const bot = createSupportBot({
      token: SUPPORT,
      apiRoot: tg.apiRoot,
      logger: silentLogger(),
      redis,
      i18n,
      db,
      producers: createProducers(queues),
      supportChatId: chatId,
      prefix: `${queues.prefix}:support:`,
    });
    handle = await startBot(bot, { mode: 'polling', logger: silentLogger(), pollTimeoutSeconds: 1 });
  });
  afterAll(async () => {
    await handle?.stop();
    await queues?.cleanup();
    redis?.disconnect();
    await db?.close();
    await tg?.close();
  });

  const relayJobs = async () =>
    (await queues.queue({ name: 'support-relay' } as never).getJobs(['waiting', 'delayed'])).map((j) => j.data as Record<string, unknown>);
  /** Until the bot handled what was sent (it takes updates by long polling). */
  const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 10_000, interval: 50 });

  /** A customer with a topic, as the worker maps it on their first message. */
  async function customerTopic(): Promise<{ userId: number; threadId: number }> {
    const user = await makeUser(db.repos);
    const topic = await createApi(CLIENT, { apiRoot: tg.apiRoot }).createForumTopic(chatId, `Customer #${user.id}`);
    await db.repos.supportRelays.saveTopic(user.id, chatId, topic.message_thread_id);
    await db.repos.support.openOrGet({ userId: user.id, topicId: topic.message_thread_id });
    return { userId: user.id, threadId: topic.message_thread_id };
  }

  it('queues what staff write in a topic for the customer, never notes or commands', async () => {
    const { userId, threadId } = await customerTopic();
    // A note and a message in General first: the answer after them is handled after them.
    await tg.client.sendCommand({ from: staffId, chatId, threadId, command: 'note', payload: 'customer seems confused' });
    await tg.client.sendText({ from: staffId, chatId, text: 'General chatter' });
    const answer = await tg.client.sendText({ from: staffId, chatId, threadId, text: 'Try reconnecting' });
    await eventually(async () => expect(await db.repos.supportRelays.unfinished(userId, 'out')).toHaveLength(1));
    const rows = await db.repos.supportRelays.unfinished(userId, 'out');
    expect(rows.map((r) => r.messageId)).toEqual([answer.messageId]);
    expect(rows[0]).toMatchObject({ staffTelegramId: staffId, replyToMessageId: null });
    expect(await relayJobs()).toContainEqual({
      direction: 'to_customer',
      userId: String(userId),
      fromChatId: chatId,
      messageId: answer.messageId,
      staffTelegramId: staffId,
    });
  });

  it('closes and reopens tickets by command and by hand; bans stop the relay without touching anything else', async () => {
    const { userId, threadId } = await customerTopic();
    await tg.client.sendCommand({ from: staffId, chatId, threadId, command: 'close' });
    await eventually(async () => expect((await tg.client.getTopics({ chatId })).find((x) => x.threadId === threadId)?.closed).toBe(true));
    expect(await db.repos.support.getOpenTicket(userId)).toBeNull();
    expect((await tg.client.getMessages({ chatId, threadId })).map((m) => m.text)).toContain(t('support.tickets.closed'));

    await tg.client.sendCommand({ from: staffId, chatId, threadId, command: 'reopen' });
    await eventually(async () => expect(await db.repos.support.getOpenTicket(userId)).toMatchObject({ topicId: threadId }));
    expect((await tg.client.getTopics({ chatId })).find((x) => x.threadId === threadId)?.closed).toBe(false);
    // Closed by hand: the ticket follows.
    await tg.client.manageTopic({ from: staffId, chatId, threadId, action: 'close' });
    await eventually(async () => expect(await db.repos.support.getOpenTicket(userId)).toBeNull());

    await tg.client.manageTopic({ from: staffId, chatId, threadId, action: 'reopen' });
    await tg.client.sendCommand({ from: staffId, chatId, threadId, command: 'ban' });
    await eventually(async () => expect((await db.repos.supportRelays.getTopic(userId))?.bannedAt).toBeInstanceOf(Date));
    await tg.client.sendCommand({ from: staffId, chatId, threadId, command: 'unban' });
    await eventually(async () => expect((await db.repos.supportRelays.getTopic(userId))?.bannedAt).toBeNull());
  });

  it('says at start-up which bot lacks which right in the staff forum', async () => {
    const api = createApi(SUPPORT, { apiRoot: tg.apiRoot });
    const support = await api.getMe();
    const client = await createApi(CLIENT, { apiRoot: tg.apiRoot }).getMe();
    const bots = [
      { name: 'support', id: support.id },
      { name: 'client', id: client.id },
    ];
    expect(await checkForumRights(api, chatId, bots)).toEqual([]);
    const weak = await tg.client.createSupergroup({
      title: 'Weak',
      bots: [
        { bot: SUPPORT, admin: true },
        { bot: CLIENT, admin: true, canPinMessages: false },
      ],
    });
    expect(await checkForumRights(api, weak.id, bots)).toEqual([
      'client lacks the administrator right can_pin_messages in the staff forum',
    ]);
    const plain = await tg.client.createSupergroup({ title: 'Plain', isForum: false, bots: [{ bot: SUPPORT, admin: true }] });
    expect((await checkForumRights(api, plain.id, bots))[0]).toContain('is not a forum');
  });
});
