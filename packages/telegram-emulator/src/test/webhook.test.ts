import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookCallback } from 'grammy';
import { EmulatorClient } from '../client/emulator-client.js';
import { SECRET_HEADER } from '../http/webhook-delivery.js';
import { CLIENT_TOKEN, makeBot, refusal, useEmulator } from './harness.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

describe('webhook mode', () => {
  const env = useEmulator();
  const servers: Server[] = [];
  afterEach(async () => {
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await bot.api.deleteWebhook({ drop_pending_updates: true });
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('delivers updates to grammY webhookCallback with the secret token header', async () => {
    // The control API over HTTP, as the sandbox and end-to-end tests use it.
    const client = EmulatorClient.http(env.emulator.url);
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.msg.text}`));
    const { server, url } = await listen(webhookCallback(bot, 'http', { secretToken: 's3cr3t-Token_1' }));
    servers.push(server);
    await bot.api.setWebhook(url, { secret_token: 's3cr3t-Token_1' });

    const user = await client.createUser({ firstName: 'Web' });
    await client.sendText({ from: user.id, bot: CLIENT_TOKEN, text: 'hello' });
    const reply = await client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    expect(reply.text).toBe('echo: hello');
    const info = await bot.api.getWebhookInfo();
    expect(info).toMatchObject({ url, has_custom_certificate: false, pending_update_count: 0 });
    expect(info.last_error_date).toBeUndefined();
  });

  it('retries a failing webhook in order and reports the last error', async () => {
    const received: { id: number; secret: string | undefined }[] = [];
    let failuresLeft = 2;
    const { server, url } = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (failuresLeft-- > 0) {
          res.writeHead(500).end();
          return;
        }
        const update = JSON.parse(Buffer.concat(chunks).toString()) as { update_id: number };
        received.push({
          id: update.update_id,
          secret: req.headers[SECRET_HEADER.toLowerCase()] as string | undefined,
        });
        res.writeHead(200).end();
      });
    });
    servers.push(server);
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await bot.api.setWebhook(url, { secret_token: 'abc' });
    const user = await env.emulator.client.createUser({ firstName: 'Retry' });
    const first = await env.emulator.client.sendText({
      from: user.id,
      bot: CLIENT_TOKEN,
      text: 'one',
    });
    const second = await env.emulator.client.sendText({
      from: user.id,
      bot: CLIENT_TOKEN,
      text: 'two',
    });
    await expect.poll(() => received.length, { timeout: 3000 }).toBe(2);
    expect(received).toEqual([
      { id: first.updateIds[0], secret: 'abc' },
      { id: second.updateIds[0], secret: 'abc' },
    ]);
    expect(second.updateIds[0]).toBeGreaterThan(first.updateIds[0]!);
    const info = await bot.api.getWebhookInfo();
    expect(info.pending_update_count).toBe(0);
    expect(info.last_error_message).toBe('Wrong response from the webhook: 500 Internal Server Error');
    expect(info.last_error_date).toBeGreaterThan(0);
  });

  it('refuses getUpdates while a webhook is set, and deleteWebhook can drop what is pending', async () => {
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    // Nothing listens on port 9 (discard): deliveries fail and stay pending.
    await bot.api.setWebhook('http://127.0.0.1:9/hook');
    const user = await env.emulator.client.createUser({ firstName: 'Pending' });
    await env.emulator.client.sendText({ from: user.id, bot: CLIENT_TOKEN, text: 'waiting' });
    const conflict = await refusal(bot.api.getUpdates());
    expect(conflict).toMatchObject({
      error_code: 409,
      description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
    expect((await bot.api.getWebhookInfo()).pending_update_count).toBe(1);
    await bot.api.deleteWebhook({ drop_pending_updates: true });
    expect(await bot.api.getWebhookInfo()).toEqual({
      url: '',
      has_custom_certificate: false,
      pending_update_count: 0,
    });
    await expect(bot.api.getUpdates()).resolves.toEqual([]);
  });

  it('executes a method call sent back in the webhook response body', async () => {
    const { server, url } = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const update = JSON.parse(Buffer.concat(chunks).toString()) as {
          message: { chat: { id: number } };
        };
        const reply = {
          method: 'sendMessage',
          chat_id: update.message.chat.id,
          text: 'inline reply',
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      });
    });
    servers.push(server);
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await bot.api.setWebhook(url);
    const user = await env.emulator.client.createUser({ firstName: 'Inline' });
    await env.emulator.client.sendText({ from: user.id, bot: CLIENT_TOKEN, text: 'ping' });
    const reply = await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    expect(reply.text).toBe('inline reply');
  });
});
