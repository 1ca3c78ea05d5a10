import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isClientApp, type ClientAppId } from './apps.js';

/** What a `/go/<token>` link carries: which app, which subscription URL, in which language, until when. */
export interface GoLink {
  app: ClientAppId;
  url: string;
  /** Profile name shown in the app. */
  name: string;
  lang: 'ru' | 'en';
  expiresAt: Date;
}

const payloadSchema = z.object({
  a: z.string().refine(isClientApp),
  u: z.string().url().max(2_048).refine((u) => /^https?:\/\//.test(u), 'http(s) only'),
  n: z.string().max(64),
  l: z.enum(['ru', 'en']),
  e: z.number().int().positive(),
});

const MAC_BYTES = 16;

/**
 * Signs and reads the opaque tokens of `/go/<token>`: base64url JSON, a dot, and a truncated
 * HMAC-SHA-256 (128 bits). Nothing is stored; a token names one app and one subscription URL
 * and expires, and only a token we signed is ever followed (no open redirect).
 */
export function createGoTokens(secret: string) {
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest().subarray(0, MAC_BYTES);
  return {
    sign(link: GoLink): string {
      const body = Buffer.from(
        JSON.stringify({ a: link.app, u: link.url, n: link.name, l: link.lang, e: Math.floor(link.expiresAt.getTime() / 1000) }),
      ).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    /** The link, or `null` when the token is malformed, forged or expired. */
    verify(token: string, now = new Date()): GoLink | null {
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined || token.length > 4_096) return null;
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(body))) return null;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      const parsed = payloadSchema.safeParse(json);
      if (!parsed.success || parsed.data.e * 1000 < now.getTime()) return null;
      return { app: parsed.data.a, url: parsed.data.u, name: parsed.data.n, lang: parsed.data.l, expiresAt: new Date(parsed.data.e * 1000) };
    },
  };
}

export type GoTokens = ReturnType<typeof createGoTokens>;
