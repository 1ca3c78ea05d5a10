import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DbError } from './errors.js';

/**
 * Secrets at rest (panel credentials, provider keys in settings): AES-256-GCM with a fresh
 * 12-byte IV per value. Stored as `v1:<iv b64>:<tag b64>:<ciphertext b64>`; the version prefix
 * lets a later key rotation tell formats apart. GCM's tag makes any tampering fail loudly.
 */
export interface SecretCipher {
  encrypt(plain: string): string;
  /** @throws DbError `DECRYPT_FAILED` on a wrong key, a malformed value or tampered data. */
  decrypt(stored: string): string;
  /**
   * A keyed hash (HMAC-SHA-256, hex) for looking an encrypted value up by equality: the same
   * input always gives the same output, and without the key it reveals nothing.
   */
  digest(plain: string): string;
}

const PREFIX = 'v1';

/** Accepts 64 hex characters or base64 of exactly 32 bytes (the `ENCRYPTION_KEY` formats). */
export function parseEncryptionKey(key: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(key)) return Buffer.from(key, 'hex');
  const buf = Buffer.from(key, 'base64');
  if (buf.length === 32) return buf;
  throw new DbError('INVALID_INPUT', 'ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64');
}

/** Builds the cipher from `ENCRYPTION_KEY`. */
export function createSecretCipher(key: string): SecretCipher {
  const k = parseEncryptionKey(key);
  // Its own key, derived from the encryption key: a hash never shares key material with GCM.
  const lookupKey = createHmac('sha256', k).update('vpn-lookup-digest-v1').digest();
  return {
    digest(plain) {
      return createHmac('sha256', lookupKey).update(plain, 'utf8').digest('hex');
    },
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [PREFIX, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(':');
    },
    decrypt(stored) {
      const parts = stored.split(':');
      if (parts.length !== 4 || parts[0] !== PREFIX) throw new DbError('DECRYPT_FAILED', 'not an encrypted value');
      const [, ivB64, tagB64, bodyB64] = parts as [string, string, string, string];
      const iv = Buffer.from(ivB64, 'base64');
      const tag = Buffer.from(tagB64, 'base64');
      if (iv.length !== 12 || tag.length !== 16) throw new DbError('DECRYPT_FAILED', 'malformed encrypted value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(bodyB64, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        // Never echo the ciphertext or the cause: it may hint at the key.
        throw new DbError('DECRYPT_FAILED', 'encrypted value failed authentication (wrong key or tampered)');
      }
    },
  };
}

/** True when a stored string looks like our ciphertext (used to refuse double encryption). */
export function isEncrypted(value: string): boolean {
  return /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/.test(value);
}
