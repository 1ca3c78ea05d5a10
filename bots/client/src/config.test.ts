import { ConfigError } from '@vpn/config';
import { describe, expect, it } from 'vitest';
import { loadClientBotConfig } from './config.js';

const env = { ENCRYPTION_KEY: 'a'.repeat(64), CLIENT_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOP', GO_LINK_SECRET: 'g'.repeat(32) };

describe('client bot config', () => {
  it('in production with go links, the default http PUBLIC_BASE_URL is a readable config error', () => {
    expect(() => loadClientBotConfig({ ...env, NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadClientBotConfig({ ...env, NODE_ENV: 'production' })).toThrow(/PUBLIC_BASE_URL: must be the public https URL/);
    expect(loadClientBotConfig({ ...env, NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://vpn.example.com' }).PUBLIC_BASE_URL).toBe(
      'https://vpn.example.com',
    );
    // The sandbox (development) keeps its local http webhooks service.
    expect(loadClientBotConfig(env).PUBLIC_BASE_URL).toBe('http://127.0.0.1:8080');
  });

  it('in production webhook mode, a BOT_WEBHOOK_SECRET shorter than 32 characters is a config error', () => {
    const prod = {
      ...env,
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: 'https://vpn.example.com',
      BOT_MODE: 'webhook',
      BOT_WEBHOOK_URL: 'https://vpn.example.com/tg',
    };
    expect(() => loadClientBotConfig(prod)).toThrow(/BOT_WEBHOOK_SECRET: must be at least 32 characters/);
    expect(() => loadClientBotConfig({ ...prod, BOT_WEBHOOK_SECRET: 'short_secret' })).toThrow(/BOT_WEBHOOK_SECRET: must be at least 32/);
    expect(loadClientBotConfig({ ...prod, BOT_WEBHOOK_SECRET: 's'.repeat(32) }).BOT_WEBHOOK_SECRET).toHaveLength(32);
    // Development and polling keep working without one.
    expect(loadClientBotConfig({ ...env, BOT_MODE: 'webhook', BOT_WEBHOOK_SECRET: 'dev' }).BOT_MODE).toBe('webhook');
  });

  it('with YooKassa and its receipts on, refuses to start without a receipts email (YooKassa would refuse every payment)', () => {
    const yookassa = { ...env, PAYMENT_PROVIDERS: 'yookassa,stars', YOOKASSA_SHOP_ID: '100500', YOOKASSA_SECRET_KEY: 'test_key' };
    expect(() => loadClientBotConfig(yookassa)).toThrow(/YOOKASSA_RECEIPT_EMAIL: is required when yookassa is enabled with 54-FZ receipts/);
    expect(loadClientBotConfig({ ...yookassa, YOOKASSA_RECEIPT_EMAIL: 'receipts@vpn.example' }).PAYMENT_PROVIDERS).toEqual([
      'yookassa',
      'stars',
    ]);
    expect(loadClientBotConfig({ ...yookassa, YOOKASSA_RECEIPT_ENABLED: 'false' }).YOOKASSA_RECEIPT_ENABLED).toBe(false);
  });
});
