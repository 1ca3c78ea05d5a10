import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InputFile, type Bot } from 'grammy';
import { CLIENT_TOKEN, SUPPORT_TOKEN, botWithUser, expectBadRequest, pngBytes, useEmulator } from './harness.js';

describe('photos, documents and files', () => {
  const env = useEmulator();

  const chat = (name: string): Promise<{ bot: Bot; userId: number }> => botWithUser(env.emulator, CLIENT_TOKEN, name);

  async function download(bot: Bot, fileId: string): Promise<Buffer> {
    const file = await bot.api.getFile(fileId);
    const res = await fetch(`${env.emulator.apiRoot}/file/bot${bot.token}/${file.file_path}`);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  it('uploads a photo as multipart, returns its sizes and serves the same bytes back', async () => {
    const { bot, userId } = await chat('Pic');
    const bytes = pngBytes(640, 320);
    const sent = await bot.api.sendPhoto(userId, new InputFile(bytes, 'qr.png'), {
      caption: '<b>Your QR</b>',
      parse_mode: 'HTML',
    });
    expect(sent.photo?.map((p) => [p.width, p.height])).toEqual([
      [90, 45],
      [640, 320],
    ]);
    expect(sent.caption).toBe('Your QR');
    expect(sent.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 7 }]);
    const largest = sent.photo.at(-1)!;
    expect(await download(bot, largest.file_id)).toEqual(bytes);
    const again = await bot.api.sendPhoto(userId, largest.file_id);
    expect(again.photo).toEqual(sent.photo);
    const edited = await bot.api.editMessageCaption(userId, again.message_id, {
      caption: 'new caption',
    });
    expect(edited).toMatchObject({ caption: 'new caption' });
  });

  it('uploads documents with their file name and refuses the wrong kind of file id', async () => {
    const { bot, userId } = await chat('Doc');
    const config = Buffer.from('[Interface]\nPrivateKey = x\n');
    const sent = await bot.api.sendDocument(userId, new InputFile(config, 'vpn.conf'));
    expect(sent.document).toMatchObject({
      file_name: 'vpn.conf',
      mime_type: 'text/plain',
      file_size: config.length,
    });
    expect(await download(bot, sent.document.file_id)).toEqual(config);
    await expectBadRequest(bot.api.sendPhoto(userId, sent.document.file_id), "can't use file of type Document as Photo");
    await expectBadRequest(bot.api.sendDocument(userId, 'BQACnot-a-real-id'), 'wrong file identifier/HTTP URL specified');
    await expectBadRequest(bot.api.getFile('nope'), 'invalid file_id');
  });

  it("refuses another bot's file id, as Telegram does (file ids are per bot)", async () => {
    const { bot, userId } = await chat('Owner');
    const other = await botWithUser(env.emulator, SUPPORT_TOKEN, 'Other');
    const sent = await bot.api.sendPhoto(userId, new InputFile(pngBytes(64, 64), 'sale.png'));
    const fileId = sent.photo.at(-1)!.file_id;
    await expectBadRequest(other.bot.api.sendPhoto(other.userId, fileId), 'wrong file identifier/HTTP URL specified');
    await expectBadRequest(other.bot.api.getFile(fileId), 'invalid file_id');
    const path = (await bot.api.getFile(fileId)).file_path;
    expect((await fetch(`${env.emulator.apiRoot}/file/bot${SUPPORT_TOKEN}/${path}`)).status).toBe(404);
    // A photo a user sends a bot is that bot's: it may resend it, the other bot may not.
    const fromUser = await env.emulator.client.sendPhoto({ from: userId, bot: CLIENT_TOKEN, data: pngBytes(32, 32), fileName: 'me.png' });
    const received = (await bot.api.getUpdates({ offset: -1 })).at(-1)?.message?.photo?.at(-1)?.file_id;
    expect(received).toBe(fromUser.message.photo?.at(-1)?.file_id);
    await bot.api.sendPhoto(userId, received!);
    await expectBadRequest(other.bot.api.sendPhoto(other.userId, received!), 'wrong file identifier/HTTP URL specified');
  });

  it('fetches URLs on this machine, refuses the internet and non-images', async () => {
    const { bot, userId } = await chat('Url');
    const image = pngBytes(100, 100);
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(image));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/qr.png`;
      const sent = await bot.api.sendPhoto(userId, url);
      expect(await download(bot, sent.photo.at(-1)!.file_id)).toEqual(image);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await expectBadRequest(bot.api.sendPhoto(userId, 'https://example.com/a.png'), 'wrong file identifier/HTTP URL specified');
    await expectBadRequest(bot.api.sendPhoto(userId, new InputFile(Buffer.from('text'), 'a.jpg')), 'IMAGE_PROCESS_FAILED');
    await expectBadRequest(bot.api.sendPhoto(userId, new InputFile(image), { caption: 'c'.repeat(1025) }), 'message caption is too long');
  });

  it("delivers a user's photo and document to the bot, which can download them", async () => {
    const { bot, userId } = await chat('Sender');
    const photo = pngBytes(50, 60);
    const doc = Buffer.from('%PDF-1.4 receipt');
    await env.emulator.client.sendPhoto({
      from: userId,
      bot: CLIENT_TOKEN,
      data: photo,
      caption: 'screenshot',
    });
    await env.emulator.client.sendDocument({
      from: userId,
      bot: CLIENT_TOKEN,
      data: doc,
      fileName: 'receipt.pdf',
    });
    const updates = await bot.api.getUpdates();
    const [withPhoto, withDoc] = updates.slice(-2).map((u) => u.message!);
    expect(withPhoto?.caption).toBe('screenshot');
    expect(withPhoto?.photo).toHaveLength(1);
    expect(await download(bot, withPhoto!.photo![0]!.file_id)).toEqual(photo);
    expect(withDoc?.document).toMatchObject({
      file_name: 'receipt.pdf',
      mime_type: 'application/pdf',
    });
    expect(await env.emulator.client.downloadFile(withDoc!.document!.file_id)).toEqual(doc);
    await bot.api.getUpdates({ offset: updates.at(-1)!.update_id + 1 });
  });
});
