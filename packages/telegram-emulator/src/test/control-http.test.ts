import { describe, expect, it } from 'vitest';
import { EmulatorClient, EmulatorControlError } from '../client/emulator-client.js';
import { EmulatorTimeoutError } from '../state/events.js';
import { CLIENT_TOKEN, makeBot, pngBytes, useEmulator } from './harness.js';

describe('the control API over HTTP', () => {
  const env = useEmulator();

  it('drives a conversation through EmulatorClient.http with the cursor rules', async () => {
    const client = EmulatorClient.http(`${env.emulator.url}/`);
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const user = await client.createUser({
      firstName: 'Http',
      username: 'http_user',
      languageCode: 'ru',
    });
    expect(user).toMatchObject({
      is_bot: false,
      first_name: 'Http',
      username: 'http_user',
      language_code: 'ru',
    });
    await client.start({ from: user.id, bot: 'client_test_bot' });
    await bot.api.sendMessage(user.id, 'one');
    await bot.api.sendMessage(user.id, 'two');
    // Both replies came before the waits: the cursor still hands them out in order.
    expect((await client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN })).text).toBe('one');
    expect((await client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN })).text).toBe('two');
    await client.sendPhoto({ from: user.id, bot: CLIENT_TOKEN, data: pngBytes(8, 8) });
    const updates = await bot.api.getUpdates();
    const photo = updates.at(-1)?.message?.photo?.[0];
    expect(await client.downloadFile(photo!.file_id)).toEqual(pngBytes(8, 8));
    await bot.api.getUpdates({ offset: updates.at(-1)!.update_id + 1 });
  });

  it('reports refusals, timeouts and unknown actions', async () => {
    const client = EmulatorClient.http(env.emulator.url);
    await expect(client.sendText({ from: 1, bot: CLIENT_TOKEN, text: 'x' })).rejects.toThrow(
      new EmulatorControlError('unknown user 1; create it with createUser'),
    );
    const user = await client.createUser({ firstName: 'Wait' });
    await client.start({ from: user.id, bot: CLIENT_TOKEN });
    const timeout = await client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(EmulatorTimeoutError);
    expect((timeout as Error).message).toBe(`Timed out after 50 ms waiting for a bot message in chat ${user.id}`);
    await expect(client.pressButton({ from: user.id, bot: CLIENT_TOKEN, text: 'Nope' })).rejects.toThrow('no button "Nope"');

    const unknown = await fetch(`${env.emulator.url}/control/launchRockets`, {
      method: 'POST',
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    const badJson = await fetch(`${env.emulator.url}/control/createUser`, {
      method: 'POST',
      body: '{',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ ok: false, error: 'the body must be JSON' });
    expect(await (await fetch(`${env.emulator.url}/health`)).json()).toEqual({ ok: true });
  });

  it('registers bots at runtime and resets the world but keeps bots and update ids growing', async () => {
    const client = EmulatorClient.http(env.emulator.url);
    const info = await client.registerBot({
      token: '7000000009:AAExtraBotTokenForEmulatorTests__',
      username: 'extra_bot',
    });
    expect(info).toMatchObject({ id: 7000000009, username: 'extra_bot', is_bot: true });
    const extra = await makeBot(env.emulator, '7000000009:AAExtraBotTokenForEmulatorTests__');
    const user = await client.createUser({ firstName: 'Reset' });
    const before = await client.sendText({ from: user.id, bot: 'extra_bot', text: 'before' });
    await client.reset();
    const again = await client.createUser({ firstName: 'After' });
    const after = await client.sendText({ from: again.id, bot: 'extra_bot', text: 'after' });
    expect(after.updateIds[0]).toBeGreaterThan(before.updateIds[0]!);
    expect(after.seq).toBeGreaterThan(before.seq);
    expect((await extra.api.getUpdates()).map((u) => u.message?.text)).toEqual(['after']);
    expect((await client.listBots()).map((b) => b.username)).toContain('extra_bot');
  });
});
