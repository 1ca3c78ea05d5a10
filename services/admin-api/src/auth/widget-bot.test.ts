import { silentLogger } from '@vpn/logger';
import { describe, expect, it } from 'vitest';
import { rememberBotUsername } from './widget-bot.js';

describe('the Login Widget’s bot username', () => {
  it('asks Telegram once, remembers the answer, and shares one request between concurrent callers', async () => {
    let calls = 0;
    const get = rememberBotUsername(async () => {
      calls++;
      return { username: 'shop_admin_bot' };
    }, silentLogger());
    expect(await Promise.all([get(), get(), get()])).toEqual(['shop_admin_bot', 'shop_admin_bot', 'shop_admin_bot']);
    expect(await get()).toBe('shop_admin_bot');
    expect(calls).toBe(1);
  });

  it('answers null while Telegram is unreachable and asks again after a minute', async () => {
    let clock = 0;
    let up = false;
    let calls = 0;
    const get = rememberBotUsername(
      async () => {
        calls++;
        if (!up) throw new Error('ECONNREFUSED');
        return { username: 'shop_admin_bot' };
      },
      silentLogger(),
      () => clock,
    );
    expect(await get()).toBeNull();
    up = true;
    clock = 30_000;
    expect(await get()).toBeNull();
    expect(calls).toBe(1);
    clock = 61_000;
    expect(await get()).toBe('shop_admin_bot');
    expect(calls).toBe(2);
  });
});
