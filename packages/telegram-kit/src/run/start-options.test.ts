import { loadConfig, telegramSchema } from '@vpn/config';
import { silentLogger } from '@vpn/logger';
import { describe, expect, it } from 'vitest';
import { startOptionsFromConfig } from './start-options.js';

const logger = silentLogger();

describe('startOptionsFromConfig', () => {
  it('polls by default', () => {
    expect(startOptionsFromConfig(loadConfig(telegramSchema, {}), logger)).toMatchObject({ mode: 'polling' });
  });

  it('builds webhook options from the environment', () => {
    const config = loadConfig(telegramSchema, {
      BOT_MODE: 'webhook',
      BOT_WEBHOOK_URL: 'https://bot.example.com/tg/client',
      BOT_WEBHOOK_SECRET: 's3cret_token',
      BOT_WEBHOOK_PORT: '8443',
    });
    expect(startOptionsFromConfig(config, logger)).toMatchObject({
      mode: 'webhook',
      url: 'https://bot.example.com/tg/client',
      secretToken: 's3cret_token',
      port: 8443,
    });
  });

  it('names what webhook mode is missing', () => {
    const config = loadConfig(telegramSchema, { BOT_MODE: 'webhook' });
    expect(() => startOptionsFromConfig(config, logger)).toThrow('BOT_MODE=webhook needs BOT_WEBHOOK_URL and BOT_WEBHOOK_SECRET');
  });
});
