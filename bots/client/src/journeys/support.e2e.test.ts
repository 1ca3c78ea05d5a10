import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentMessage } from '@vpn/telegram-emulator';
import { startPlatformWorld, type PlatformWorld } from '../testing/platform-world.js';

const png = (w: number, h: number) => {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'ascii');
  ihdr.writeUInt32BE(w, 8);
  ihdr.writeUInt32BE(h, 12);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, Buffer.from('image')]);
};

/**
 * Support across the processes: the client bot takes the customer's message, the worker copies it
 * into their topic of the staff forum, the support bot takes the staff's answer, the worker copies
 * it back to the customer. Telegram is the emulator; the rest is real.
 */
describe('support: a forum topic per customer, client bot, support bot and worker as processes', () => {
  let p: PlatformWorld;
  beforeAll(async () => {
    p = await startPlatformWorld('support');
  });
  afterAll(async () => {
    await p?.close();
  });

  async function inForum(match: (m: SentMessage) => boolean, timeoutMs = 30_000): Promise<SentMessage> {
    const tg = p.world.telegram.client;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = (await tg.getMessages({ chatId: p.world.supportChatId, sender: 'any' })).find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nothing matching in the staff forum within ${timeoutMs} ms (logs in ${p.logDir})`);
  }

  it('relays a conversation both ways: text, a photo, an album, replies; notes and commands stay in the topic', async () => {
    const tg = p.world.telegram.client;
    const t = p.i18n.forLanguage('ru');
    const user = await p.newUser('ru', 'Анна');
    await tg.start({ from: user.id, bot: p.bot });
    await p.next(user);
    await tg.sendCommand({ from: user.id, bot: p.bot, command: 'support' });
    await p.waitFor(user, (m) => m.text === t('client.support.intro').replace(/<[^>]+>/g, ''));
    const question = await tg.sendText({ from: user.id, bot: p.bot, text: 'VPN не подключается' });
    await p.waitFor(user, (m) => m.text === t('client.support.opened'));
    const copied = await inForum((m) => m.text === 'VPN не подключается');
    const threadId = copied.threadId!;
    expect((await tg.getTopics({ chatId: p.world.supportChatId })).find((x) => x.threadId === threadId)?.name).toContain('Анна');

    const photo = await tg.sendPhoto({ from: user.id, bot: p.bot, data: png(20, 20), caption: 'скриншот' });
    await tg.sendAlbum({
      from: user.id,
      bot: p.bot,
      items: [
        { kind: 'photo', data: png(30, 30), caption: 'два экрана' },
        { kind: 'photo', data: png(40, 40) },
      ],
    });
    const photoCopy = await inForum((m) => m.threadId === threadId && m.caption === 'скриншот');
    expect(photoCopy.mediaKind).toBe('photo');
    const albumCopy = await inForum((m) => m.threadId === threadId && m.caption === 'два экрана');
    const album = (await tg.getMessages({ chatId: p.world.supportChatId, threadId, sender: 'bot' })).filter(
      (m) => m.mediaGroupId !== undefined && m.mediaGroupId === albumCopy.mediaGroupId,
    );
    expect(album).toHaveLength(2);
    // In the order written.
    const order = (await tg.getMessages({ chatId: p.world.supportChatId, threadId, sender: 'bot' })).map((m) => m.text ?? m.caption ?? '·');
    expect(order.indexOf('VPN не подключается')).toBeLessThan(order.indexOf('скриншот'));
    expect(order.indexOf('скриншот')).toBeLessThan(order.indexOf('два экрана'));
    expect(photo.messageId).toBeGreaterThan(question.messageId);

    // Staff: a note and a command stay in the topic; the answer, a reply to the question, reaches the customer as a reply.
    const staff = p.world.staffUserId;
    const chatId = p.world.supportChatId;
    await tg.sendCommand({ from: staff, chatId, threadId, command: 'note', payload: 'проверить сервер' });
    await tg.sendText({ from: staff, chatId, threadId, text: 'Попробуйте переподключиться', replyTo: copied.messageId });
    const answer = await p.waitFor(user, (m) => m.text === 'Попробуйте переподключиться');
    expect(answer.replyToMessageId).toBe(question.messageId);
    const seen = (await tg.getMessages({ chatId: user.id, bot: p.bot })).map((m) => m.text ?? '');
    expect(seen.some((text) => text.includes('проверить сервер'))).toBe(false);
    expect((await p.db.repos.support.getOpenTicket((await p.db.repos.users.findByTelegramId(user.id))!.id))?.status).toBe('answered');

    // The customer answers back with a reply to the staff message: the copy in the topic replies to it.
    await tg.sendText({ from: user.id, bot: p.bot, text: 'Заработало, спасибо', replyTo: answer.messageId });
    const thanks = await inForum((m) => m.text === 'Заработало, спасибо');
    expect(thanks.threadId).toBe(threadId);
    expect(thanks.replyToMessageId).toBeDefined();

    // /close closes the ticket and the topic.
    await tg.sendCommand({ from: staff, chatId, threadId, command: 'close' });
    await inForum((m) => m.threadId === threadId && m.text === t('support.tickets.closed'));
  });
});
