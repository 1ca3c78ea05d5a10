import { describe, expect, it } from 'vitest';
import type { Bot } from 'grammy';
import { CLIENT_TOKEN, SUPPORT_TOKEN, expectBadRequest, makeBot, pngBytes, refusal, useEmulator } from './harness.js';

/** What the support relay needs: every content kind copied into topics, albums, hand-made topic changes, pins, limits. */
describe('forum relays: copies of every kind, albums, topics changed by hand, pins and group limits', () => {
  const env = useEmulator();
  const bytes = Buffer.from('opaque media bytes');

  async function staffForum(
    clientRights: { canPinMessages?: boolean } = {},
  ): Promise<{ client: Bot; support: Bot; chatId: number; staffId: number; customerId: number }> {
    const c = env.emulator.client;
    const staff = await c.createUser({ firstName: 'Staff' });
    const group = await c.createSupergroup({
      title: 'Staff',
      adminIds: [staff.id],
      bots: [
        { bot: CLIENT_TOKEN, admin: true, ...clientRights },
        { bot: SUPPORT_TOKEN, admin: true },
      ],
    });
    const customer = await c.createUser({ firstName: 'Ann' });
    await c.start({ from: customer.id, bot: CLIENT_TOKEN });
    return {
      client: await makeBot(env.emulator, CLIENT_TOKEN),
      support: await makeBot(env.emulator, SUPPORT_TOKEN),
      chatId: group.id,
      staffId: staff.id,
      customerId: customer.id,
    };
  }

  it('copies every content kind into a topic with replies kept, and refuses service messages', async () => {
    const { client, chatId, customerId } = await staffForum();
    const c = env.emulator.client;
    const { message_thread_id: thread } = await client.api.createForumTopic(chatId, 'Ann');
    const kinds = ['voice', 'video', 'video_note', 'sticker', 'audio', 'animation', 'document'] as const;
    const sent = [];
    for (const kind of kinds)
      sent.push(
        await c.sendMedia({ from: customerId, bot: CLIENT_TOKEN, kind, data: bytes, ...(kind === 'voice' ? { caption: 'listen' } : {}) }),
      );
    sent.push(await c.sendLocation({ from: customerId, bot: CLIENT_TOKEN, latitude: 55.75, longitude: 37.61 }));
    sent.push(await c.sendContact({ from: customerId, bot: CLIENT_TOKEN, phoneNumber: '+70000000000', firstName: 'Ann' }));
    const copies = [];
    for (const s of sent) copies.push(await client.api.copyMessage(chatId, customerId, s.messageId, { message_thread_id: thread }));
    const inTopic = await c.getMessages({ chatId, threadId: thread });
    const byId = new Map(inTopic.map((m) => [m.messageId, m]));
    expect(copies.map((id) => byId.get(id.message_id)?.mediaKind)).toEqual([...kinds, undefined, undefined]);
    expect(byId.get(copies[0]!.message_id)?.caption).toBe('listen');
    expect(byId.get(copies[0]!.message_id)?.fileId).toBe(sent[0]!.message.voice && (sent[0]!.message.voice as { file_id: string }).file_id);
    expect(byId.get(copies[7]!.message_id)?.message.location).toEqual({ latitude: 55.75, longitude: 37.61 });
    expect(byId.get(copies[8]!.message_id)?.message.contact).toMatchObject({ phone_number: '+70000000000' });

    // A reply is kept by naming the copy of the replied message.
    const reply = await c.sendText({ from: customerId, bot: CLIENT_TOKEN, text: 'about that voice', replyTo: sent[0]!.messageId });
    const replyCopy = await client.api.copyMessage(chatId, customerId, reply.messageId, {
      message_thread_id: thread,
      reply_parameters: { message_id: copies[0]!.message_id },
    });
    expect((await c.getMessages({ chatId, threadId: thread })).find((m) => m.messageId === replyCopy.message_id)?.replyToMessageId).toBe(
      copies[0]!.message_id,
    );

    // Stickers carry no caption; the topic's creation message cannot be copied.
    await expectBadRequest(
      client.api.editMessageCaption(chatId, copies[3]!.message_id, { caption: 'x' }),
      'there is no caption in the message to edit',
    );
    await expectBadRequest(client.api.copyMessage(customerId, chatId, thread), "message can't be copied");
  });

  it('copyMessages keeps an album together, skips what cannot be copied and checks its ids', async () => {
    const { client, chatId, customerId } = await staffForum();
    const c = env.emulator.client;
    const { message_thread_id: thread } = await client.api.createForumTopic(chatId, 'Album');
    const album = await c.sendAlbum({
      from: customerId,
      bot: CLIENT_TOKEN,
      items: [
        { kind: 'photo', data: pngBytes(10, 10), caption: 'two screens' },
        { kind: 'photo', data: pngBytes(12, 12) },
        { kind: 'video', data: bytes },
      ],
    });
    expect(new Set(album.messages.map((m) => m.message.media_group_id))).toEqual(new Set([album.mediaGroupId]));
    const ids = album.messages.map((m) => m.messageId);
    const copies = await client.api.copyMessages(chatId, customerId, [...ids, 999], { message_thread_id: thread });
    expect(copies).toHaveLength(3);
    const inTopic = (await c.getMessages({ chatId, threadId: thread })).filter((m) => copies.some((x) => x.message_id === m.messageId));
    expect(inTopic.map((m) => m.mediaKind)).toEqual(['photo', 'photo', 'video']);
    expect(inTopic[0]?.caption).toBe('two screens');
    const groups = new Set(inTopic.map((m) => m.mediaGroupId));
    expect(groups.size).toBe(1);
    expect(groups.has(album.mediaGroupId)).toBe(false);

    await expectBadRequest(
      client.api.copyMessages(chatId, customerId, [ids[1]!, ids[0]!], { message_thread_id: thread }),
      'message identifiers must be increasing',
    );
    await expectBadRequest(client.api.copyMessages(chatId, customerId, [], { message_thread_id: thread }), 'message_ids are empty');
    await expectBadRequest(client.api.copyMessages(chatId, customerId, [5000], { message_thread_id: thread }), 'message to copy not found');
  });

  it('General is addressed without a thread id; 1 is refused', async () => {
    const { client, chatId } = await staffForum();
    await expectBadRequest(client.api.sendMessage(chatId, 'x', { message_thread_id: 1 }), 'message thread not found');
    const general = await client.api.sendMessage(chatId, 'summary');
    expect(general.message_thread_id).toBeUndefined();
  });

  it('topics closed, deleted or archived by hand: a service message for close, silence for delete and archive', async () => {
    const { client, support, chatId, staffId } = await staffForum();
    const c = env.emulator.client;
    const { message_thread_id: thread } = await client.api.createForumTopic(chatId, 'By hand');
    await support.api.getUpdates({ offset: -1 }).then((u) => support.api.getUpdates({ offset: (u.at(-1)?.update_id ?? 0) + 1 }));
    const closed = await c.manageTopic({ from: staffId, chatId, threadId: thread, action: 'close' });
    expect(closed.updateIds).toHaveLength(2);
    const updates = await support.api.getUpdates({ timeout: 0 });
    expect(updates.at(-1)?.message).toMatchObject({ message_thread_id: thread, forum_topic_closed: {}, from: { id: staffId } });
    // The creator bot still posts into its closed topic (it manages topics); reopening it by hand works.
    await client.api.sendMessage(chatId, 'still here', { message_thread_id: thread });
    await c.manageTopic({ from: staffId, chatId, threadId: thread, action: 'reopen' });

    const deleted = await c.manageTopic({ from: staffId, chatId, threadId: thread, action: 'delete' });
    expect(deleted.updateIds).toEqual([]);
    await expectBadRequest(client.api.sendMessage(chatId, 'x', { message_thread_id: thread }), 'message thread not found');

    const { message_thread_id: old } = await client.api.createForumTopic(chatId, 'Old');
    await c.manageTopic({ from: staffId, chatId, threadId: old, action: 'archive' });
    await expectBadRequest(client.api.sendMessage(chatId, 'x', { message_thread_id: old }), 'message thread not found');
    expect((await c.getTopics({ chatId })).find((t) => t.threadId === old)).toMatchObject({ archived: true });
  });

  it('edits topics with the right or as creator; empty name keeps it, an empty emoji removes it', async () => {
    const { client, support, chatId } = await staffForum();
    const { message_thread_id: thread } = await support.api.createForumTopic(chatId, 'Ticket', {
      icon_custom_emoji_id: '5312536423851630001',
    });
    await support.api.editForumTopic(chatId, thread, { name: '', icon_custom_emoji_id: '' });
    expect((await env.emulator.client.getTopics({ chatId })).find((t) => t.threadId === thread)).toEqual({
      threadId: thread,
      name: 'Ticket',
      iconColor: 0x6fb9f0,
      closed: false,
    });
    expect((await support.api.getForumTopicIconStickers()).length).toBeGreaterThan(0);

    const plain = await env.emulator.client.createUser({ firstName: 'x' });
    const weak = await env.emulator.client.createSupergroup({
      title: 'Weak',
      ownerId: plain.id,
      bots: [
        { bot: CLIENT_TOKEN, admin: true, canManageTopics: false },
        { bot: SUPPORT_TOKEN, admin: true },
      ],
    });
    const { message_thread_id: t2 } = await support.api.createForumTopic(weak.id, 'Theirs');
    expect((await refusal(client.api.editForumTopic(weak.id, t2, { name: 'mine' }))).description).toBe(
      'Bad Request: not enough rights to manage topics',
    );
    expect((await refusal(client.api.closeForumTopic(weak.id, t2))).description).toBe('Bad Request: not enough rights to manage topics');
  });

  it('pins inside a topic with a pinned_message service message, and needs can_pin_messages', async () => {
    const { client, chatId } = await staffForum();
    const { message_thread_id: thread } = await client.api.createForumTopic(chatId, 'Card');
    const card = await client.api.sendMessage(chatId, 'card', { message_thread_id: thread });
    await client.api.pinChatMessage(chatId, card.message_id);
    const inTopic = await env.emulator.client.getMessages({ chatId, threadId: thread });
    expect(inTopic.find((m) => m.messageId === card.message_id)?.pinned).toBe(true);
    expect(inTopic.at(-1)?.message.pinned_message).toMatchObject({ message_id: card.message_id });
    await client.api.deleteMessage(chatId, inTopic.at(-1)!.messageId);
    await client.api.unpinAllForumTopicMessages(chatId, thread);

    const noPins = await staffForum({ canPinMessages: false });
    const t = await noPins.client.api.createForumTopic(noPins.chatId, 'x');
    const m = await noPins.client.api.sendMessage(noPins.chatId, 'y', { message_thread_id: t.message_thread_id });
    expect((await refusal(noPins.client.api.pinChatMessage(noPins.chatId, m.message_id))).description).toBe(
      'Bad Request: not enough rights to manage pinned messages in the chat',
    );
  });

  it('a user edits a caption; the bot edits media; group edits and copies respect the group limits', async () => {
    const { client, support, chatId, customerId } = await staffForum();
    const c = env.emulator.client;
    const photo = await c.sendPhoto({ from: customerId, bot: CLIENT_TOKEN, data: pngBytes(5, 5), caption: 'v1' });
    const edited = await c.editCaption({ from: customerId, bot: CLIENT_TOKEN, messageId: photo.messageId, caption: 'v2' });
    expect(edited.updateIds).toHaveLength(1);
    const { message_thread_id: thread } = await client.api.createForumTopic(chatId, 'Edits');
    const copy = await client.api.copyMessage(chatId, customerId, photo.messageId, { message_thread_id: thread });
    const doc = await c.sendMedia({ from: customerId, bot: CLIENT_TOKEN, kind: 'document', data: bytes, fileName: 'log.txt' });
    const docId = (doc.message.document as { file_id: string }).file_id;
    await client.api.getUpdates({ offset: -1 }); // the bot is shown the document: its file id is now the bot's
    const swapped = await client.api.editMessageMedia(chatId, copy.message_id, { type: 'document', media: docId, caption: 'now a log' });
    expect(swapped).toMatchObject({ document: { file_id: docId }, caption: 'now a log' });
    expect(swapped !== true && swapped.photo).toBeUndefined();

    try {
      await c.setRateLimits({ groupEdits: { burst: 2, perSecond: 0.01 }, group: { burst: 2, perSecond: 0.01 } });
      const m = await support.api.sendMessage(chatId, 'a', { message_thread_id: thread });
      await support.api.editMessageText(chatId, m.message_id, 'b');
      await support.api.editMessageText(chatId, m.message_id, 'c');
      expect((await refusal(support.api.editMessageText(chatId, m.message_id, 'd'))).error_code).toBe(429);
      // copyMessages takes tokens for all its copies at once: one left, three asked → nothing posted.
      const before = (await c.getMessages({ chatId, threadId: thread })).length;
      const three = await Promise.all([1, 2, 3].map((i) => c.sendText({ from: customerId, bot: CLIENT_TOKEN, text: `m${i}` })));
      await c.setRateLimits({ group: { burst: 2, perSecond: 0.01 } });
      expect(
        (
          await refusal(
            client.api.copyMessages(
              chatId,
              customerId,
              three.map((t) => t.messageId),
              { message_thread_id: thread },
            ),
          )
        ).error_code,
      ).toBe(429);
      expect((await c.getMessages({ chatId, threadId: thread })).length).toBe(before);
    } finally {
      await c.setRateLimits(false);
    }
  });
});
