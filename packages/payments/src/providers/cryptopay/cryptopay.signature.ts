import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The header Crypto Pay signs its webhook updates in. */
export const CRYPTOPAY_SIGNATURE_HEADER = 'crypto-pay-api-signature';

/**
 * hex(HMAC-SHA-256(key = SHA-256(token) as raw bytes, message = raw body)) — cryptopay.md §6.
 * Exported for the emulator, which signs exactly as Crypto Pay does.
 */
export function cryptoPaySignature(token: string, rawBody: Buffer | string): string {
  const secret = createHash('sha256').update(token).digest();
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Constant-time comparison of the header with the expected signature; false for anything not 64 hex digits. */
export function isValidCryptoPaySignature(token: string, rawBody: Buffer, signature: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(cryptoPaySignature(token, rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
