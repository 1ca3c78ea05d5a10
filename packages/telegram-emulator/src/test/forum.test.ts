import { describe, expect, it } from 'vitest';
import { InputFile, type Bot } from 'grammy';
import { CLIENT_TOKEN, SUPPORT_TOKEN, makeBot, pngBytes, refusal, expectBadRequest, useEmulator } from './harness.js';

describe('forum topics, copyMessage and forwardMessage', () => {
  const env = useEmulator();

  async function forum(): Promise<{ bot: Bot; chatId: number; staffId: number }> {
    const staff = await env.emulator.client.createUser({ firstName: 'Staff' });
    const group = await env.emulator.client.createSupergroup({
      title: 'Support',
      bots: [{ bot: SUPPORT_TOKEN, admin: true, canManageTopics: true }],
      userIds: [staff.id],
    });
    return { bot: await makeBot(env.emulator, SUPPORT_TOKEN), chatId: group.id, staffId: staff.id };
  }

  it('creates a topic with a service message and relays both ways with copyMessage', async () => {
    const { bot, chatId, staffId } = await forum();
    const customer = await env.emulator.client.createUser({ firstName: 'Ann' });
    const topic = await bot.api.createForumTopic(chatId, 'Ann #1', { icon_color: 0xffd67e });
    expect(topic).toEqual({
      message_thread_id: topic.message_thread_id,
      name: 'Ann #1',
      icon_color: 0xffd67e,
    });
    const [created] = await env.emulator.client.getMessages({
      chatId,
      threadId: topic.message_thread_id,
    });
    expect(created?.message).toMatchObject({
      message_id: topic.message_thread_id,
      is_topic_message: true,
      forum_topic_created: { name: 'Ann #1', icon_color: 0xffd67e },
    });

    // Customer → topic: text and a photo with its caption.
    const text = await env.emulator.client.sendText({
      from: customer.id,
      bot: SUPPORT_TOKEN,
      text: 'my VPN is down',
    });
    const photo = await env.emulator.client.sendPhoto({
      from: customer.id,
      bot: SUPPORT_TOKEN,
      data: pngBytes(20, 20),
      caption: 'error screen',
    });
    const relayed = await bot.api.copyMessage(chatId, customer.id, text.messageId, {
      message_thread_id: topic.message_thread_id,
    });
    await bot.api.copyMessage(chatId, customer.id, photo.messageId, {
      message_thread_id: topic.message_thread_id,
    });
    const inTopic = await env.emulator.client.getMessages({
      chatId,
      threadId: topic.message_thread_id,
    });
    expect(inTopic.map((m) => m.messageId)).toContain(relayed.message_id);
    expect(inTopic.at(-2)).toMatchObject({
      text: 'my VPN is down',
      threadId: topic.message_thread_id,
    });
    expect(inTopic.at(-1)?.caption).toBe('error screen');
    expect(inTopic.at(-1)?.photoFileId).toBe(photo.message.photo?.at(-1)?.file_id);
    expect(inTopic.at(-1)?.message.is_topic_message).toBe(true);

    // Staff answer in the topic → the bot sees a topic message → copies it back to the customer.
    const answer = await env.emulator.client.sendText({
      from: staffId,
      chatId,
      threadId: topic.message_thread_id,
      text: 'Try reconnecting',
    });
    const updates = await bot.api.getUpdates();
    const staffMessage = updates.map((u) => u.message).find((m) => m?.message_id === answer.messageId);
    expect(staffMessage).toMatchObject({
      message_thread_id: topic.message_thread_id,
      is_topic_message: true,
      chat: { id: chatId, type: 'supergroup', is_forum: true },
    });
    expect(staffMessage?.reply_to_message?.message_id).toBe(topic.message_thread_id);
    await bot.api.getUpdates({ offset: updates.at(-1)!.update_id + 1 });
    await bot.api.copyMessage(customer.id, chatId, answer.messageId);
    const back = await env.emulator.client.waitForMessage({
      chatId: customer.id,
      bot: SUPPORT_TOKEN,
      after: answer.seq,
    });
    expect(back.text).toBe('Try reconnecting');
    expect(back.threadId).toBeUndefined();

    const forwarded = await bot.api.forwardMessage(chatId, customer.id, text.messageId, {
      message_thread_id: topic.message_thread_id,
    });
    expect(forwarded.forward_origin).toMatchObject({
      type: 'user',
      sender_user: { id: customer.id },
    });
    await expectBadRequest(bot.api.copyMessage(chatId, customer.id, 9999), 'message to copy not found');
    expect((await refusal(bot.api.copyMessage(customer.id, chatId, topic.message_thread_id))).description).toBe(
      "Bad Request: message can't be copied",
    );
  });

  it('closes, reopens, renames and deletes topics with Telegram errors in between', async () => {
    const { bot, chatId, staffId } = await forum();
    const { message_thread_id: thread } = await bot.api.createForumTopic(chatId, 'Ticket');
    await bot.api.closeForumTopic(chatId, thread);
    // A closed topic refuses non-managers; its creator (with can_manage_topics too) may still post.
    await env.emulator.client.addMember({ chatId, bot: { bot: CLIENT_TOKEN, admin: false } });
    const plainMember = await makeBot(env.emulator, CLIENT_TOKEN);
    await expectBadRequest(plainMember.api.sendMessage(chatId, 'x', { message_thread_id: thread }), 'TOPIC_CLOSED');
    await expect(env.emulator.client.sendText({ from: staffId, chatId, threadId: thread, text: 'x' })).rejects.toThrow('TOPIC_CLOSED');
    const managerNote = await bot.api.sendMessage(chatId, 'closed, by the manager', { message_thread_id: thread });
    await bot.api.deleteMessage(chatId, managerNote.message_id);
    expect((await refusal(bot.api.closeForumTopic(chatId, thread))).description).toBe('Bad Request: TOPIC_NOT_MODIFIED');
    await bot.api.reopenForumTopic(chatId, thread);
    await bot.api.editForumTopic(chatId, thread, { name: 'Ticket (paid)' });
    const sent = await bot.api.sendMessage(chatId, 'open again', { message_thread_id: thread });
    expect(sent).toMatchObject({ message_thread_id: thread, is_topic_message: true });
    const service = (await env.emulator.client.getMessages({ chatId, threadId: thread })).map((m) =>
      Object.keys(m.message).find((k) => k.startsWith('forum_topic_')),
    );
    expect(service).toEqual(['forum_topic_created', 'forum_topic_closed', 'forum_topic_reopened', 'forum_topic_edited', undefined]);
    expect((await env.emulator.client.getTopics({ chatId }))[0]).toMatchObject({
      threadId: thread,
      name: 'Ticket (paid)',
      closed: false,
    });

    await bot.api.deleteForumTopic(chatId, thread);
    await expectBadRequest(bot.api.sendMessage(chatId, 'x', { message_thread_id: thread }), 'message thread not found');
    expect(await env.emulator.client.getMessages({ chatId, threadId: thread, sender: 'any' })).toEqual([]);
  });

  it('requires a forum and the right to manage topics', async () => {
    const { chatId } = await forum();
    const plain = await env.emulator.client.createSupergroup({
      title: 'Plain',
      isForum: false,
      bots: [{ bot: SUPPORT_TOKEN }],
    });
    const bot = await makeBot(env.emulator, SUPPORT_TOKEN);
    expect((await refusal(bot.api.createForumTopic(plain.id, 't'))).description).toBe('Bad Request: the chat is not a forum');
    await env.emulator.client.addMember({ chatId, bot: { bot: CLIENT_TOKEN, admin: false } });
    const client = await makeBot(env.emulator, CLIENT_TOKEN);
    expect((await refusal(client.api.createForumTopic(chatId, 't'))).description).toBe('Bad Request: not enough rights to manage topics');
    expect((await refusal(bot.api.sendMessage(chatId, 'x', { message_thread_id: 777 }))).description).toBe(
      'Bad Request: message thread not found',
    );
  });

  it('answers getChat, getChatMember and getChatAdministrators', async () => {
    const { bot, chatId, staffId } = await forum();
    expect(await bot.api.getChat(chatId)).toMatchObject({
      id: chatId,
      type: 'supergroup',
      title: 'Support',
      is_forum: true,
    });
    expect(await bot.api.getChatMember(chatId, staffId)).toMatchObject({
      status: 'member',
      user: { id: staffId },
    });
    expect(await bot.api.getChatMember(chatId, bot.botInfo.id)).toMatchObject({
      status: 'administrator',
      can_manage_topics: true,
    });
    const admins = await bot.api.getChatAdministrators(chatId);
    expect(admins.map((a) => a.status).sort()).toEqual(['administrator', 'creator']);
    const outsider = await env.emulator.client.createUser({ firstName: 'Out' });
    expect((await bot.api.getChatMember(chatId, outsider.id)).status).toBe('left');
    await env.emulator.client.start({ from: outsider.id, bot: SUPPORT_TOKEN });
    expect(await bot.api.getChat(outsider.id)).toMatchObject({
      id: outsider.id,
      type: 'private',
      first_name: 'Out',
    });
    expect((await refusal(bot.api.getChat(-100999))).description).toBe('Bad Request: chat not found');
    const photo = await bot.api.sendPhoto(outsider.id, new InputFile(pngBytes(10, 10)));
    expect(photo.photo).toHaveLength(1);
  });
});
