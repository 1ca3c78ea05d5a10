import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputFile } from 'grammy';
import { CLIENT_TOKEN, botWithUser, expectBadRequest, useEmulator } from './harness.js';

describe('documents by URL and by file id', () => {
  const env = useEmulator();
  const pdf = Buffer.from('%PDF-1.4 receipt for order 42');
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/files/receipt%2042.pdf') res.writeHead(200, { 'content-type': 'application/pdf; charset=binary' }).end(pdf);
      else if (req.url === '/files/raw.bin') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(pdf);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('fetches a document by URL with its name from the path and type from the response', async () => {
    const { bot, userId } = await botWithUser(env.emulator, CLIENT_TOKEN, 'Receipt');
    const sent = await bot.api.sendDocument(userId, `${base}/receipt%2042.pdf`, { caption: 'Your receipt' });
    expect(sent.document).toMatchObject({ file_name: 'receipt 42.pdf', mime_type: 'application/pdf', file_size: pdf.length });
    expect(sent.caption).toBe('Your receipt');
    expect(await env.emulator.client.downloadFile(sent.document.file_id)).toEqual(pdf);
    // A generic binary type is not reported as the document's type.
    const raw = await bot.api.sendDocument(userId, `${base}/raw.bin`);
    expect(raw.document.file_name).toBe('raw.bin');
    expect(raw.document.mime_type).toBeUndefined();
  });

  it('refuses a URL that does not answer 200 and one off this machine', async () => {
    const { bot, userId } = await botWithUser(env.emulator, CLIENT_TOKEN, 'Missing');
    await expectBadRequest(bot.api.sendDocument(userId, `${base}/gone.pdf`), 'failed to get HTTP URL content');
    await expectBadRequest(bot.api.sendDocument(userId, 'https://example.com/a.pdf'), 'wrong file identifier/HTTP URL specified');
  });

  it('resends an uploaded document by file id to another chat: same file, nothing uploaded again', async () => {
    const first = await botWithUser(env.emulator, CLIENT_TOKEN, 'First');
    const second = await botWithUser(env.emulator, CLIENT_TOKEN, 'Second');
    const conf = Buffer.from('[Interface]\nPrivateKey = k\n');
    const uploaded = await first.bot.api.sendDocument(first.userId, new InputFile(conf, 'vpn.conf'));
    const resent = await first.bot.api.sendDocument(second.userId, uploaded.document.file_id, { caption: 'again' });
    expect(resent.chat.id).toBe(second.userId);
    expect(resent.document).toEqual(uploaded.document);
    expect(resent.caption).toBe('again');
    const inChat = await env.emulator.client.getMessages({ chatId: second.userId, bot: CLIENT_TOKEN });
    expect(inChat.map((m) => m.documentFileId)).toEqual([uploaded.document.file_id]);
    expect(await env.emulator.client.downloadFile(resent.document.file_id)).toEqual(conf);
  });
});
