import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { PaymentError } from '../../provider.js';

/** The header WATA puts the base64 signature of a webhook in. */
export const WATA_SIGNATURE_HEADER = 'x-signature';

/** SHA512withRSA (PKCS#1 v1.5) over the exact raw body, base64 — what the emulator sends. */
export function wataSign(privateKey: KeyObject, rawBody: Buffer | string): string {
  return sign('sha512', typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody, privateKey).toString('base64');
}

/** True when `signature` (base64) is WATA's signature of `rawBody` under `publicKey`. */
export function isValidWataSignature(publicKey: KeyObject, rawBody: Buffer, signature: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify('sha512', rawBody, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export interface WataKeyCacheOptions {
  /** Fetches the PEM from `GET {base}/public-key`. */
  fetchPem: () => Promise<string>;
  /** A verification failure refetches the key at most this often, so forgeries cannot make us hammer WATA. */
  minRefreshIntervalMs: number;
  /** The key is refetched when older than this (daily, per wata.md §6). */
  maxAgeMs: number;
  now: () => number;
}

/**
 * WATA's webhook public key, fetched once and cached; refetched when a day old, or after a failed
 * verification (the key may have been rotated) no more often than `minRefreshIntervalMs`.
 * Concurrent callers share one fetch.
 */
export class WataKeyCache {
  private key: KeyObject | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<KeyObject> | undefined;

  constructor(private readonly options: WataKeyCacheOptions) {}

  async current(): Promise<KeyObject> {
    if (this.key && this.options.now() - this.fetchedAt < this.options.maxAgeMs) return this.key;
    return this.fetch();
  }

  /** A fresh key after a failed verification, or undefined when the last fetch was too recent. */
  async refreshAfterFailure(): Promise<KeyObject | undefined> {
    if (this.options.now() - this.fetchedAt < this.options.minRefreshIntervalMs) return undefined;
    return this.fetch();
  }

  private fetch(): Promise<KeyObject> {
    this.inflight ??= this.options
      .fetchPem()
      .then((pem) => {
        try {
          this.key = createPublicKey(pem);
        } catch (error) {
          throw new PaymentError('unreachable', 'wata: the public-key endpoint returned an unusable key', {
            provider: 'wata',
            cause: error,
          });
        }
        this.fetchedAt = this.options.now();
        return this.key;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}
