import { describe, expect, it } from 'vitest';
import { SUPPORT_TOKEN, makeBot, refusal, useEmulator } from './harness.js';

describe('getUpdates', () => {
  const env = useEmulator();

  async function freshUser(name: string): Promise<number> {
    return (await env.emulator.client.createUser({ firstName: name })).id;
  }

  it('confirms by offset, honours limit and gives strictly increasing ids', async () => {
    const bot = await makeBot(env.emulator, SUPPORT_TOKEN);
    const user = await freshUser('Off');
    for (const text of ['a', 'b', 'c']) await env.emulator.client.sendText({ from: user, bot: SUPPORT_TOKEN, text });
    const two = await bot.api.getUpdates({ limit: 2 });
    expect(two.map((u) => u.message?.text)).toEqual(['a', 'b']);
    expect(two[1]!.update_id).toBe(two[0]!.update_id + 1);
    // Not confirmed yet: asked again, the same updates come back.
    expect((await bot.api.getUpdates({ limit: 2 })).map((u) => u.update_id)).toEqual(two.map((u) => u.update_id));
    const rest = await bot.api.getUpdates({ offset: two[1]!.update_id + 1 });
    expect(rest.map((u) => u.message?.text)).toEqual(['c']);
    await bot.api.getUpdates({ offset: rest[0]!.update_id + 1 });
    expect(await bot.api.getUpdates()).toEqual([]);
  });

  it('long-polls until an update arrives', async () => {
    const bot = await makeBot(env.emulator, SUPPORT_TOKEN);
    const user = await freshUser('Long');
    const started = Date.now();
    const poll = bot.api.getUpdates({ timeout: 5 });
    setTimeout(() => void env.emulator.client.sendText({ from: user, bot: SUPPORT_TOKEN, text: 'late' }), 150);
    const updates = await poll;
    expect(updates.map((u) => u.message?.text)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(3000);
    await bot.api.getUpdates({ offset: updates[0]!.update_id + 1 });
  });

  it('ends an older poll with 409 when a newer one starts', async () => {
    const bot = await makeBot(env.emulator, SUPPORT_TOKEN);
    const first = refusal(bot.api.getUpdates({ timeout: 5 }));
    await new Promise((r) => setTimeout(r, 50));
    await bot.api.getUpdates({ timeout: 0 });
    expect(await first).toMatchObject({
      error_code: 409,
      description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
  });

  it('filters with allowed_updates and keeps only the last N with a negative offset', async () => {
    const bot = await makeBot(env.emulator, SUPPORT_TOKEN);
    const user = await freshUser('Filter');
    await bot.api.getUpdates({ allowed_updates: ['callback_query'] });
    await env.emulator.client.sendText({ from: user, bot: SUPPORT_TOKEN, text: 'ignored' });
    expect(await bot.api.getUpdates()).toEqual([]);
    await bot.api.getUpdates({ allowed_updates: [] });
    for (const text of ['x', 'y', 'z']) await env.emulator.client.sendText({ from: user, bot: SUPPORT_TOKEN, text });
    const last = await bot.api.getUpdates({ offset: -1 });
    expect(last.map((u) => u.message?.text)).toEqual(['z']);
    await bot.api.getUpdates({ offset: last[0]!.update_id + 1 });
  });

  it('answers an unknown token with 401 and an unknown method with 404', async () => {
    const res = await fetch(`${env.emulator.apiRoot}/bot123:nope/getMe`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const missing = await fetch(`${env.emulator.apiRoot}/bot${SUPPORT_TOKEN}/sendTelepathy`, {
      method: 'POST',
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it('accepts form-encoded bodies, query strings and case-insensitive method names', async () => {
    const user = await freshUser('Form');
    await env.emulator.client.sendText({ from: user, bot: SUPPORT_TOKEN, text: 'hi' });
    const form = await fetch(`${env.emulator.apiRoot}/bot${SUPPORT_TOKEN}/sendmessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(user),
        text: '<i>form</i>',
        parse_mode: 'HTML',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'b', callback_data: 'd' }]] }),
      }),
    });
    const sent = (await form.json()) as {
      ok: boolean;
      result: { text: string; entities: unknown[]; reply_markup: unknown };
    };
    expect(sent.ok).toBe(true);
    expect(sent.result).toMatchObject({
      text: 'form',
      entities: [{ type: 'italic', offset: 0, length: 4 }],
    });
    expect(sent.result.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'b', callback_data: 'd' }]],
    });
    const query = await fetch(`${env.emulator.apiRoot}/bot${SUPPORT_TOKEN}/sendMessage?chat_id=${user}&text=q`);
    expect(((await query.json()) as { result: { text: string } }).result.text).toBe('q');
    const bot = await makeBot(env.emulator, SUPPORT_TOKEN);
    const pending = await bot.api.getUpdates();
    await bot.api.getUpdates({ offset: pending.at(-1)!.update_id + 1 });
  });

  it('answers a malformed multipart body with 400', async () => {
    const res = await fetch(`${env.emulator.apiRoot}/bot${SUPPORT_TOKEN}/sendDocument`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: 'not multipart',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: can't parse multipart/form-data request",
    });
  });
});
