import { describe, expect, it } from 'vitest';
import { ConfigError, baseSchema, databaseSchema, encryptionSchema, knownKeys, loadConfig, z } from './index.js';

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
