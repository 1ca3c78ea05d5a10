import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  baseSchema,
  databaseSchema,
  encryptionSchema,
  httpSchema,
  knownKeys,
  loadConfig,
  paymentsSchema,
  requireHttpsPublicBaseUrl,
  requireYooKassaReceiptEmail,
  webhooksSchema,
  z,
} from './index.js';

const schema = z.object({ ...baseSchema.shape, ...databaseSchema.shape, ...encryptionSchema.shape });

describe('loadConfig', () => {
  it('parses a good environment with defaults', () => {
    const cfg = loadConfig(schema, { ENCRYPTION_KEY: 'a'.repeat(64) });
    expect(cfg.NODE_ENV).toBe('development');
    expect(cfg.DATABASE_POOL_MAX).toBe(10);
  });

  it('lists every bad key in one readable error', () => {
    let error: unknown;
    try {
      loadConfig(schema, { LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', DATABASE_POOL_MAX: 'many' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('Invalid configuration');
    expect(message).toContain('ENCRYPTION_KEY: is required but not set');
    expect(message).toContain('LOG_LEVEL:');
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(message).toContain('DATABASE_POOL_MAX:');
    expect((error as ConfigError).issues).toHaveLength(4);
  });

  it('treats empty strings as unset', () => {
    const cfg = loadConfig(schema, { ENCRYPTION_KEY: 'b'.repeat(64), LOG_LEVEL: '' });
    expect(cfg.LOG_LEVEL).toBe('info');
  });

  it('knows every key of every schema', () => {
    expect(knownKeys()).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'CLIENT_BOT_TOKEN']));
  });
});

describe('PUBLIC_BASE_URL with go links in production', () => {
  const goSchema = z
    .object({ ...baseSchema.shape, ...httpSchema.shape, GO_LINK_SECRET: webhooksSchema.shape.GO_LINK_SECRET })
    .superRefine(requireHttpsPublicBaseUrl);
  const secret = 'x'.repeat(32);
  const problem = (env: Record<string, string>) => {
    try {
      loadConfig(goSchema, env);
      return null;
    } catch (e) {
      return e as ConfigError;
    }
  };

  it('refuses the http default and a local https origin with a readable error naming the key', () => {
    const error = problem({ NODE_ENV: 'production', GO_LINK_SECRET: secret });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues).toEqual([
      'PUBLIC_BASE_URL: must be the public https URL of the webhooks service in production when GO_LINK_SECRET is set (Telegram opens only https links); got http://127.0.0.1:8080',
    ]);
    expect(problem({ NODE_ENV: 'production', GO_LINK_SECRET: secret, PUBLIC_BASE_URL: 'http://vpn.example.com' })?.issues[0]).toContain(
      'PUBLIC_BASE_URL: must be the public https URL',
    );
    expect(problem({ NODE_ENV: 'production', GO_LINK_SECRET: secret, PUBLIC_BASE_URL: 'https://localhost:8443' })?.issues).toHaveLength(1);
  });

  it('accepts a public https URL in production, and anything where the rule does not apply', () => {
    expect(
      loadConfig(goSchema, { NODE_ENV: 'production', GO_LINK_SECRET: secret, PUBLIC_BASE_URL: 'https://vpn.example.com' }).PUBLIC_BASE_URL,
    ).toBe('https://vpn.example.com');
    expect(problem({ NODE_ENV: 'production' })).toBeNull();
    expect(problem({ NODE_ENV: 'development', GO_LINK_SECRET: secret })).toBeNull();
  });
});

describe('YooKassa receipts without a receipt email', () => {
  const shopSchema = z.object({ ...paymentsSchema.shape }).superRefine(requireYooKassaReceiptEmail);
  const yookassa = { PAYMENT_PROVIDERS: 'stars,yookassa', YOOKASSA_SHOP_ID: '100500', YOOKASSA_SECRET_KEY: 'test_key' };
  const issues = (env: Record<string, string>) => {
    try {
      loadConfig(shopSchema, env);
      return [];
    } catch (e) {
      return (e as ConfigError).issues;
    }
  };

  it('is refused with a readable error naming the key and both ways out (receipts are on by default)', () => {
    expect(issues(yookassa)).toEqual([
      "YOOKASSA_RECEIPT_EMAIL: is required when yookassa is enabled with 54-FZ receipts (YOOKASSA_RECEIPT_ENABLED, default true): the bot collects no customer email and YooKassa refuses a receipt without one (400 on every payment); set the shop's receipts address, or YOOKASSA_RECEIPT_ENABLED=false",
    ]);
    expect(issues({ ...yookassa, YOOKASSA_RECEIPT_ENABLED: 'true', YOOKASSA_RECEIPT_EMAIL: '' })).toHaveLength(1);
  });

  it('is fine with a receipts address, with receipts off, or without YooKassa', () => {
    expect(loadConfig(shopSchema, { ...yookassa, YOOKASSA_RECEIPT_EMAIL: 'receipts@vpn.example' }).YOOKASSA_RECEIPT_EMAIL).toBe(
      'receipts@vpn.example',
    );
    expect(issues({ ...yookassa, YOOKASSA_RECEIPT_ENABLED: 'false' })).toEqual([]);
    expect(issues({ PAYMENT_PROVIDERS: 'stars,cryptopay' })).toEqual([]);
    expect(issues({ ...yookassa, YOOKASSA_RECEIPT_EMAIL: 'not an email' })[0]).toMatch(/^YOOKASSA_RECEIPT_EMAIL: /);
  });
});
