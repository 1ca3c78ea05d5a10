import { describe, expect, it } from 'vitest';
import { checkForumRights, createApi } from '@vpn/telegram-kit';
import { CLIENT, SUPPORT, useSupportWorld } from './testing/support-world.js';

/** The support bot taking updates from the emulator, with the real database and queues. */
describe('support bot', () => {
  const w = useSupportWorld();
  const t = w.i18n.forLanguage('ru');
  const relayJobs = async () =>
    (await w.queues.queue({ name: 'support-relay' } as never).getJobs(['waiting', 'delayed'])).map(
      (j) => j.data as Record<string, unknown>,
    );
  const eventually = (check: () => Promise<void>) => w.eventually(check);
  const customerTopic = () => w.customerTopic();

  it('queues what staff write in a topic for the customer, never notes or commands', async () => {
    const { userId, threadId } = await customerTopic();
    // A note and a message in General first: the answer after them is handled after them.
    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'note', payload: 'customer seems confused' });
    await w.tg.client.sendText({ from: w.staffId, chatId: w.chatId, text: 'General chatter' });
    // A note by the configurable prefix (support.notePrefix, default "//") stays in the topic too.
    await w.tg.client.sendText({ from: w.staffId, chatId: w.chatId, threadId, text: '// refund tomorrow if it still fails' });
    const answer = await w.tg.client.sendText({ from: w.staffId, chatId: w.chatId, threadId, text: 'Try reconnecting' });
    await eventually(async () => expect(await w.h.db.repos.supportRelays.unfinished(userId, 'out')).toHaveLength(1));
    const rows = await w.h.db.repos.supportRelays.unfinished(userId, 'out');
    expect(rows.map((r) => r.messageId)).toEqual([answer.messageId]);
    expect(rows[0]).toMatchObject({ staffTelegramId: w.staffId, replyToMessageId: null });
    expect(await relayJobs()).toContainEqual({
      direction: 'to_customer',
      userId: String(userId),
      fromChatId: w.chatId,
      messageId: answer.messageId,
      staffTelegramId: w.staffId,
    });
  });

  it('queues an edit of a relayed staff message for the customer, never of a note', async () => {
    const { userId, threadId } = await customerTopic();
    const answer = await w.tg.client.sendText({ from: w.staffId, chatId: w.chatId, threadId, text: 'Try reconecting' });
    await eventually(async () => expect(await w.h.db.repos.supportRelays.unfinished(userId, 'out')).toHaveLength(1));
    await w.tg.client.editText({ from: w.staffId, chatId: w.chatId, messageId: answer.messageId, text: 'Try reconnecting' });
    await eventually(async () =>
      expect((await relayJobs()).find((j) => j.edit)).toMatchObject({
        direction: 'to_customer',
        userId: String(userId),
        messageId: answer.messageId,
        edit: { text: 'Try reconnecting' },
      }),
    );
    const note = await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'note', payload: 'draft' });
    await w.tg.client.editText({ from: w.staffId, chatId: w.chatId, messageId: note.messageId, text: '/note final' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await relayJobs()).filter((j) => j.edit)).toHaveLength(1);
  });

  it('closes and reopens tickets by command and by hand; bans stop the relay without touching anything else', async () => {
    const { userId, threadId } = await customerTopic();
    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'close' });
    await eventually(async () =>
      expect((await w.tg.client.getTopics({ chatId: w.chatId })).find((x) => x.threadId === threadId)?.closed).toBe(true),
    );
    expect(await w.h.db.repos.support.getOpenTicket(userId)).toBeNull();
    expect((await w.tg.client.getMessages({ chatId: w.chatId, threadId })).map((m) => m.text)).toContain(t('support.tickets.closed'));

    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'reopen' });
    await eventually(async () => expect(await w.h.db.repos.support.getOpenTicket(userId)).toMatchObject({ topicId: threadId }));
    expect((await w.tg.client.getTopics({ chatId: w.chatId })).find((x) => x.threadId === threadId)?.closed).toBe(false);
    // Closed by hand: the ticket follows.
    await w.tg.client.manageTopic({ from: w.staffId, chatId: w.chatId, threadId, action: 'close' });
    await eventually(async () => expect(await w.h.db.repos.support.getOpenTicket(userId)).toBeNull());

    await w.tg.client.manageTopic({ from: w.staffId, chatId: w.chatId, threadId, action: 'reopen' });
    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'ban' });
    await eventually(async () => expect((await w.h.db.repos.supportRelays.getTopic(userId))?.bannedAt).toBeInstanceOf(Date));
    await w.tg.client.sendCommand({ from: w.staffId, chatId: w.chatId, threadId, command: 'unban' });
    await eventually(async () => expect((await w.h.db.repos.supportRelays.getTopic(userId))?.bannedAt).toBeNull());
  });

  it('says at start-up which bot lacks which right in the staff forum', async () => {
    const api = createApi(SUPPORT, { apiRoot: w.tg.apiRoot });
    const support = await api.getMe();
    const client = await createApi(CLIENT, { apiRoot: w.tg.apiRoot }).getMe();
    const bots = [
      { name: 'support', id: support.id },
      { name: 'client', id: client.id },
    ];
    expect(await checkForumRights(api, w.chatId, bots)).toEqual([]);
    const weak = await w.tg.client.createSupergroup({
      title: 'Weak',
      bots: [
        { bot: SUPPORT, admin: true },
        { bot: CLIENT, admin: true, canPinMessages: false },
      ],
    });
    expect(await checkForumRights(api, weak.id, bots)).toEqual([
      'client lacks the administrator right can_pin_messages in the staff forum',
    ]);
    const plain = await w.tg.client.createSupergroup({ title: 'Plain', isForum: false, bots: [{ bot: SUPPORT, admin: true }] });
    expect((await checkForumRights(api, plain.id, bots))[0]).toContain('is not a forum');
  });
});
