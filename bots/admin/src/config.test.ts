import { describe, expect, it } from 'vitest';
import { loadAdminBotConfig } from './config.js';

const env = { ENCRYPTION_KEY: 'a'.repeat(64), ADMIN_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOP' };

describe('admin bot config', () => {
  it('needs its token, and reads ADMIN_IDS as a list of Telegram ids', () => {
    expect(() => loadAdminBotConfig({ ENCRYPTION_KEY: env.ENCRYPTION_KEY })).toThrow(/ADMIN_BOT_TOKEN/);
    expect(loadAdminBotConfig(env).ADMIN_IDS).toBeUndefined();
    expect(loadAdminBotConfig({ ...env, ADMIN_IDS: '100,200' }).ADMIN_IDS).toEqual([100, 200]);
    expect(() => loadAdminBotConfig({ ...env, ADMIN_IDS: '100;@eve' })).toThrow(/ADMIN_IDS: must be comma-separated Telegram ids/);
  });
});
