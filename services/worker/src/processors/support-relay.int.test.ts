import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '@vpn/db';
import { createTestDatabase, makeUser, type TestDatabase } from '@vpn/db/testing';
import { createI18n } from '@vpn/i18n';
import { silentLogger } from '@vpn/logger';
import type { ProcessorContext } from '@vpn/queues';
import { createApi } from '@vpn/telegram-kit';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import type { SupportRelayDeps } from '../support/relay-deps.js';
import { createSupportRelayProcessor } from './support-relay.processor.js';

const CLIENT = '7000000001:AAsupport-relay-client-bot-token';
const ctx = { log: silentLogger() } as ProcessorContext;

/** The relay processor over the Telegram emulator and a real database, jobs run by hand (retries, crashes). */
describe('support-relay processor', () => {
  let db: TestDatabase;
  let tg: Emulator;
  let deps: SupportRelayDeps;
  let staffId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    tg = await createEmulator({ rateLimits: false, bots: [{ token: CLIENT, username: 'vpn_client_bot' }] });
    const staff = await tg.client.createUser({ firstName: 'Staff' });
    staffId = staff.id;
    const forum = await tg.client.createSupergroup({ title: 'Support', adminIds: [staff.id], bots: [{ bot: CLIENT, admin: true }] });
    deps = {
      db,
      clientApi: createApi(CLIENT, { apiRoot: tg.apiRoot, networkRetries: 0 }),
      i18n: createI18n(),
      supportChatId: forum.id,
      leaseMs: 50,
    };
  });
  afterAll(async () => {
    await tg?.close();
    await db?.close();
  });

  /** A customer who started the client bot, as the client bot records and queues their messages. */
  async function customer(): Promise<{
    user: User;
    say: (text: string, replyTo?: number) => Promise<{ messageId: number; job: () => Promise<unknown> }>;
  }> {
    const tgUser = await tg.client.createUser({ firstName: 'Ann', username: `ann${Date.now() % 100000}` });
    await tg.client.start({ from: tgUser.id, bot: CLIENT });
    const user = await makeUser(db.repos, { telegramId: tgUser.id, firstName: 'Ann' });
    const say = async (text: string, replyTo?: number) => {
      const sent = await tg.client.sendText({ from: tgUser.id, bot: CLIENT, text, ...(replyTo ? { replyTo } : {}) });
      await db.repos.supportRelays.record({
        userId: user.id,
        direction: 'in',
        fromChatId: tgUser.id,
        messageId: sent.messageId,
        ...(replyTo ? { replyToMessageId: replyTo } : {}),
      });
      const payload = { direction: 'to_topic' as const, userId: String(user.id), fromChatId: tgUser.id, messageId: sent.messageId };
      return { messageId: sent.messageId, job: () => createSupportRelayProcessor(deps)(payload, ctx) };
    };
    return { user, say };
  }

  /** Staff write in the topic; the support bot records and queues it (here by hand). */
  async function staffSays(user: User, threadId: number, text: string, replyTo?: number) {
    const sent = await tg.client.sendText({ from: staffId, chatId: deps.supportChatId, threadId, text, ...(replyTo ? { replyTo } : {}) });
    await db.repos.supportRelays.record({
      userId: user.id,
      direction: 'out',
      fromChatId: deps.supportChatId,
      messageId: sent.messageId,
      ...(replyTo ? { replyToMessageId: replyTo } : {}),
    });
    return createSupportRelayProcessor(deps)(
      { direction: 'to_customer', userId: String(user.id), fromChatId: deps.supportChatId, messageId: sent.messageId },
      ctx,
    );
  }

  const topicTexts = async (threadId: number) =>
    (await tg.client.getMessages({ chatId: deps.supportChatId, threadId, sender: 'any' })).map((m) => m.text).filter(Boolean);

  it('relays both ways in order, once, with replies kept, whichever job runs first', async () => {
    const { user, say } = await customer();
    const a = await say('first');
    const b = await say('second');
    // The later job runs first, then both again (a redelivered job): each message once, in order.
    await b.job();
    await a.job();
    await b.job();
    const topic = (await db.repos.supportRelays.getTopic(user.id))!;
    expect((await tg.client.getTopics({ chatId: deps.supportChatId })).find((t) => t.threadId === topic.threadId)?.name).toContain('Ann');
    expect(await topicTexts(topic.threadId)).toEqual(['first', 'second']);

    const firstCopy = await db.repos.support.findLinkByClientMessage(user.telegramId, a.messageId);
    await staffSays(user, topic.threadId, 'Hello, Ann', firstCopy!.supportMessageId);
    const back = (await tg.client.getMessages({ chatId: user.telegramId, bot: CLIENT })).at(-1)!;
    expect(back).toMatchObject({ text: 'Hello, Ann', replyToMessageId: a.messageId });
    expect((await db.repos.support.getOpenTicket(user.id))?.status).toBe('answered');

    // The customer replies to the answer: the copy in the topic replies to the staff message.
    const c = await say('thanks', back.messageId);
    await c.job();
    const inTopic = (await tg.client.getMessages({ chatId: deps.supportChatId, threadId: topic.threadId, sender: 'bot' })).at(-1)!;
    expect(inTopic.text).toBe('thanks');
    expect(inTopic.replyToMessageId).toBeDefined();
  });

  it('recreates a topic deleted by hand, names the old one, and reopens a closed one for a new ticket', async () => {
    const { user, say } = await customer();
    await (await say('hello')).job();
    const old = (await db.repos.supportRelays.getTopic(user.id))!.threadId;
    await tg.client.manageTopic({ from: staffId, chatId: deps.supportChatId, threadId: old, action: 'delete' });
    await (await say('are you there?')).job();
    const topic = (await db.repos.supportRelays.getTopic(user.id))!;
    expect(topic).toMatchObject({ previousThreadId: old });
    expect(topic.threadId).not.toBe(old);
    const texts = await topicTexts(topic.threadId);
    expect(texts.at(-1)).toBe('are you there?');
    expect(texts.some((t) => t?.includes(`#${old}`))).toBe(true);

    // Closed by hand, the ticket closed; the customer writes again: a new ticket reopens the topic.
    await tg.client.manageTopic({ from: staffId, chatId: deps.supportChatId, threadId: topic.threadId, action: 'close' });
    const ticket = (await db.repos.support.getOpenTicket(user.id))!;
    await db.repos.support.setStatus(ticket.id, 'closed');
    await (await say('one more thing')).job();
    expect((await tg.client.getTopics({ chatId: deps.supportChatId })).find((t) => t.threadId === topic.threadId)?.closed).toBe(false);
    expect((await topicTexts(topic.threadId)).at(-1)).toBe('one more thing');
  });

  it('a worker killed after the copy: the claim lapses and the retry sends; nothing is lost', async () => {
    const { user, say } = await customer();
    const a = await say('crash me');
    let crashes = 1;
    const crashing = createSupportRelayProcessor({
      ...deps,
      crashPoint: () => {
        if (crashes-- > 0) throw new Error('killed');
      },
    });
    const payload = { direction: 'to_topic' as const, userId: String(user.id), fromChatId: user.telegramId, messageId: a.messageId };
    await expect(crashing(payload, ctx)).rejects.toThrow('killed');
    // Before the lease lapses a retry waits (another attempt may still be sending).
    await new Promise((r) => setTimeout(r, 80));
    await crashing(payload, ctx);
    await crashing(payload, ctx);
    const texts = await topicTexts((await db.repos.supportRelays.getTopic(user.id))!.threadId);
    // The Bot API cannot tell whether the killed attempt's copy went out: at least once, at most twice.
    expect(texts.filter((t) => t === 'crash me').length).toBeGreaterThanOrEqual(1);
    expect(texts.filter((t) => t === 'crash me').length).toBeLessThanOrEqual(2);
    expect(await db.repos.supportRelays.unfinished(user.id, 'in')).toEqual([]);
  });

  it('a customer who blocked the bot: staff are told once; a banned customer is told once and nothing is relayed', async () => {
    const { user, say } = await customer();
    await (await say('hi')).job();
    const topic = (await db.repos.supportRelays.getTopic(user.id))!;
    await tg.client.blockBot({ from: user.telegramId, bot: CLIENT });
    await staffSays(user, topic.threadId, 'answer 1');
    await staffSays(user, topic.threadId, 'answer 2');
    const notices = (await topicTexts(topic.threadId)).filter((t) => t?.includes('заблокировал'));
    expect(notices).toHaveLength(1);
    expect((await db.repos.users.findById(user.id))?.botBlockedAt).toBeInstanceOf(Date);

    const banned = await customer();
    await (await banned.say('hi')).job();
    await db.repos.supportRelays.setBanned(banned.user.id, true);
    await (await banned.say('spam 1')).job();
    await (await banned.say('spam 2')).job();
    const bannedTopic = (await db.repos.supportRelays.getTopic(banned.user.id))!;
    expect(await topicTexts(bannedTopic.threadId)).toEqual(['hi']);
    const toCustomer = (await tg.client.getMessages({ chatId: banned.user.telegramId, bot: CLIENT })).map((m) => m.text);
    expect(toCustomer.filter((t) => t?.includes('подписка'))).toHaveLength(1);
  });
  it('mirrors edits both ways onto the copies, and says "edited" where Telegram cannot edit', async () => {
    const { user, say } = await customer();
    const first = await say('helo');
    await first.job();
    const topic = (await db.repos.supportRelays.getTopic(user.id))!;
    const edit = (direction: 'to_topic' | 'to_customer', fromChatId: number, messageId: number, change: Record<string, unknown>) =>
      createSupportRelayProcessor(deps)(
        { direction, userId: String(user.id), fromChatId, messageId, edit: { editDate: Math.floor(Date.now() / 1000), ...change } },
        ctx,
      );
    // The customer fixes a typo: the copy in the topic is edited in place.
    await tg.client.editText({ from: user.telegramId, bot: CLIENT, messageId: first.messageId, text: 'hello' });
    expect(await edit('to_topic', user.telegramId, first.messageId, { text: 'hello' })).toEqual({ edited: true });
    expect(await topicTexts(topic.threadId)).toEqual(['hello']);
    // The same edit again (a redelivered job) is no change and no error.
    expect(await edit('to_topic', user.telegramId, first.messageId, { text: 'hello' })).toEqual({ edited: true });

    // Staff edit their answer: the customer's copy follows.
    await staffSays(user, topic.threadId, 'Try reconecting');
    const staffMessage = (await tg.client.getMessages({ chatId: deps.supportChatId, threadId: topic.threadId, sender: 'user' })).at(-1)!;
    await tg.client.editText({ from: staffId, chatId: deps.supportChatId, messageId: staffMessage.messageId, text: 'Try reconnecting' });
    expect(await edit('to_customer', deps.supportChatId, staffMessage.messageId, { text: 'Try reconnecting' })).toEqual({ edited: true });
    const customerSees = (await tg.client.getMessages({ chatId: user.telegramId, bot: CLIENT })).map((m) => m.text);
    expect(customerSees).toContain('Try reconnecting');
    expect(customerSees).not.toContain('Try reconecting');

    // Media swapped (no text to edit in place): a short line replying to the copy.
    const copy = (await db.repos.supportRelays.copyOf('in', user.telegramId, first.messageId))!;
    expect(await edit('to_topic', user.telegramId, first.messageId, {})).toEqual({ edited: false, noted: true });
    const line = (await tg.client.getMessages({ chatId: deps.supportChatId, threadId: topic.threadId, sender: 'bot' })).at(-1)!;
    expect(line).toMatchObject({ replyToMessageId: copy.copyId });
    expect(line.text).toContain(deps.i18n.forLanguage('ru')('support.relay.edited', { text: '' }).trim());

    // An edit of a message never relayed (written outside support mode) does nothing.
    expect(await edit('to_topic', user.telegramId, 999_999, { text: 'secret' })).toEqual({ edited: false });
    // An edit that arrives before its message was copied waits for the copy (the job retries).
    const late = await say('later');
    await expect(edit('to_topic', user.telegramId, late.messageId, { text: 'later!' })).rejects.toThrow(/not relayed yet/);
  });
});
