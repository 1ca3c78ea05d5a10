import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The client bot receives `successful_payment` from Telegram and forwards the Message to the
 * webhooks service as JSON; this header carries hex HMAC-SHA-256(STARS_FORWARD_SECRET, raw body)
 * so nobody else can post a "payment" there.
 */
export const STARS_FORWARD_SIGNATURE_HEADER = 'x-stars-forward-signature';

/** The signature the client bot puts in STARS_FORWARD_SIGNATURE_HEADER. */
export function signStarsForward(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Constant-time check of a forwarded body's signature. */
export function isValidStarsForward(secret: string, rawBody: Buffer, signature: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signStarsForward(secret, rawBody), 'hex'), Buffer.from(signature, 'hex'));
}
