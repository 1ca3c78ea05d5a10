import { describe, expect, it } from 'vitest';
import { createSecretCipher, isEncrypted, parseEncryptionKey } from './crypto.js';
import { DbError } from './errors.js';

const HEX_KEY = 'ab'.repeat(32);

describe('secret cipher (AES-256-GCM)', () => {
  const cipher = createSecretCipher(HEX_KEY);

  it('round-trips unicode and uses a fresh IV every time', () => {
    const secret = 'пароль: s3cr3t 🔐';
    const a = cipher.encrypt(secret);
    const b = cipher.encrypt(secret);
    expect(a).not.toEqual(b);
    expect(a).not.toContain('s3cr3t');
    expect(a).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
    expect(isEncrypted(a)).toBe(true);
    expect(cipher.decrypt(a)).toBe(secret);
    expect(cipher.decrypt(b)).toBe(secret);
  });

  it('refuses tampered ciphertext, IV or tag', () => {
    const stored = cipher.encrypt('marzban-password');
    const [v, iv, tag, body] = stored.split(':') as [string, string, string, string];
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0] = (buf[0] ?? 0) ^ 1;
      return buf.toString('base64');
    };
    for (const bad of [
      [v, iv, tag, flip(body)].join(':'),
      [v, flip(iv), tag, body].join(':'),
      [v, iv, flip(tag), body].join(':'),
      'plain text',
      'v2:a:b:c',
    ]) {
      expect(() => cipher.decrypt(bad)).toThrow(DbError);
    }
  });

  it('refuses a value encrypted under another key', () => {
    const other = createSecretCipher(Buffer.alloc(32, 7).toString('base64'));
    expect(() => cipher.decrypt(other.encrypt('x'))).toThrow(/wrong key or tampered/);
  });

  it('accepts hex and base64 keys, rejects short ones', () => {
    expect(parseEncryptionKey(HEX_KEY)).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.alloc(32, 1).toString('base64'))).toHaveLength(32);
    expect(() => parseEncryptionKey('abcd')).toThrow(DbError);
  });
});
