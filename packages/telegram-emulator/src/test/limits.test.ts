import { describe, expect, it } from 'vitest';
import { HttpError } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { CLIENT_TOKEN, makeBot, refusal, useEmulator, userWhoStarted } from './harness.js';

describe('flood limits and injected faults', () => {
  const env = useEmulator();

  it('answers 429 with retry_after when a private chat is flooded', async () => {
    const userId = await userWhoStarted(env.emulator, CLIENT_TOKEN, 'Flood');
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await env.emulator.client.setRateLimits({ privateChat: { burst: 2, perSecond: 1 } });
    try {
      await bot.api.sendMessage(userId, '1');
      await bot.api.sendMessage(userId, '2');
      const error = await refusal(bot.api.sendMessage(userId, '3'));
      expect(error).toMatchObject({
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      });
      expect((await env.emulator.client.getMessages({ chatId: userId, bot: CLIENT_TOKEN })).map((m) => m.text)).toEqual(['1', '2']);
    } finally {
      await env.emulator.client.setRateLimits(false);
    }
  });

  it('lets @grammyjs/auto-retry wait out a 429', async () => {
    const userId = await userWhoStarted(env.emulator, CLIENT_TOKEN, 'Patient');
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    bot.api.config.use(autoRetry({ maxRetryAttempts: 2 }));
    await env.emulator.client.setRateLimits({ privateChat: { burst: 1, perSecond: 2 } });
    try {
      await bot.api.sendMessage(userId, 'first');
      const started = Date.now();
      const second = await bot.api.sendMessage(userId, 'second');
      expect(second.text).toBe('second');
      // retry_after is whole seconds, so the retry came after about one second.
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const refusals = await env.emulator.client.getCalls({
        bot: CLIENT_TOKEN,
        method: 'sendMessage',
      });
      expect(refusals.filter((c) => c.params.chat_id === userId).map((c) => c.errorCode ?? 'ok')).toEqual(['ok', 429, 'ok']);
    } finally {
      await env.emulator.client.setRateLimits(false);
    }
  });

  it('injects Bot API errors, dropped connections and delays for the next N calls', async () => {
    const userId = await userWhoStarted(env.emulator, CLIENT_TOKEN, 'Faulty');
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await env.emulator.client.injectFault({
      method: 'sendMessage',
      bot: CLIENT_TOKEN,
      times: 2,
      error: { code: 502, description: 'Bad Gateway' },
    });
    for (let i = 0; i < 2; i++) {
      expect(await refusal(bot.api.sendMessage(userId, 'x'))).toMatchObject({
        error_code: 502,
        description: 'Bad Gateway',
      });
    }
    await expect(bot.api.sendMessage(userId, 'through')).resolves.toMatchObject({
      text: 'through',
    });

    await env.emulator.client.injectFault({ method: 'getMe', network: { kind: 'drop' } });
    expect(await bot.api.getMe().catch((e: unknown) => e)).toBeInstanceOf(HttpError);
    await env.emulator.client.injectFault({ method: 'getme', network: { kind: 'delay', ms: 300 } });
    const started = Date.now();
    await bot.api.getMe();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await env.emulator.client.injectFault({
      method: '*',
      error: { code: 429, description: 'Too Many Requests: retry after 7', retryAfter: 7 },
    });
    expect(await refusal(bot.api.getMe())).toMatchObject({
      error_code: 429,
      parameters: { retry_after: 7 },
    });
  });

  it('answers an overrun with the configured flood wait (the countdown is in the limiter unit test)', async () => {
    const first = await userWhoStarted(env.emulator, CLIENT_TOKEN, 'Bulk1');
    const second = await userWhoStarted(env.emulator, CLIENT_TOKEN, 'Bulk2');
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await env.emulator.client.setRateLimits({ global: { burst: 1, perSecond: 1, retryAfter: 9 } });
    try {
      await bot.api.sendMessage(first, 'a');
      expect(await refusal(bot.api.sendMessage(second, 'b'))).toMatchObject({
        error_code: 429,
        description: 'Too Many Requests: retry after 9',
        parameters: { retry_after: 9 },
      });
    } finally {
      await env.emulator.client.setRateLimits(false);
    }
  });

  it('lifts the bulk limit for allow_paid_broadcast, charging 0.1 Star per message beyond the free rate', async () => {
    const users = await Promise.all([1, 2, 3, 4].map((i) => userWhoStarted(env.emulator, CLIENT_TOKEN, `Paid${i}`)));
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await env.emulator.client.setRateLimits({ global: { burst: 1, perSecond: 0.001 } });
    try {
      const [a, b, c, d] = users as [number, number, number, number];
      await bot.api.sendMessage(a, 'free', { allow_paid_broadcast: true });
      await bot.api.sendMessage(b, 'paid', { allow_paid_broadcast: true });
      const sent = await bot.api.sendMessage(c, 'paid too', { allow_paid_broadcast: true });
      await bot.api.copyMessage(d, c, sent.message_id, { allow_paid_broadcast: true });
      // Without the flag (and forwardMessage has none) the free limit holds.
      expect(await refusal(bot.api.sendMessage(d, 'unpaid'))).toMatchObject({ error_code: 429 });
      expect(await refusal(bot.api.forwardMessage(d, c, sent.message_id))).toMatchObject({ error_code: 429 });
      expect(await env.emulator.client.getPaidBroadcasts(CLIENT_TOKEN)).toEqual({ messages: 3, stars: 0.3 });
      expect(await bot.api.getMyStarBalance()).toEqual({ amount: 0, nanostar_amount: -300_000_000 });
    } finally {
      await env.emulator.client.setRateLimits(false);
    }
  });
});
