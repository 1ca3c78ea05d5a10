import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { isClientApp, type ClientAppId } from './client-apps.js';

/** What a `/go/<token>` link carries: which app, which subscription URL, in which language, until when. */
export interface GoLink {
  app: ClientAppId;
  url: string;
  /** Profile name shown in the app (at most 64 characters are kept). */
  name: string;
  lang: 'ru' | 'en';
  expiresAt: Date;
  /**
   * The key this link imports: the account and its key version (reissues completed) when the
   * link was made. The `/go` page refuses a link whose version is no longer the account's, so an
   * old "add to app" button never imports a revoked key. Links made before key versions have none.
   */
  key?: { account: number; version: number };
  /** The client bot's username: the "back to the bot" button of the page about a replaced key. */
  bot?: string;
}

/** Seals and opens the opaque tokens of `GET /go/<token>`. */
export interface GoTokens {
  sign(link: GoLink): string;
  /** The link, or `null` when the token is malformed, tampered with, sealed with another key or expired. */
  verify(token: string, now?: Date): GoLink | null;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = Buffer.from([VERSION]);
/** A subscription URL of at most 2 KB makes a token far below this. */
const MAX_TOKEN_CHARS = 4_096;

/** AES-256 key of `/go` tokens: HKDF-SHA-256 of GO_LINK_SECRET, bound to this one use. */
function tokenKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'vpn-platform/go-link', 'aes-256-gcm token key v1', 32));
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2_048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const BOT_USERNAME = /^[A-Za-z0-9_]{3,32}$/;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The link in decrypted JSON, when every field is what `sign` writes. */
function parsePayload(json: unknown): GoLink | null {
  if (typeof json !== 'object' || json === null) return null;
  const { a, u, n, l, e, k, b } = json as Record<string, unknown>;
  if (typeof a !== 'string' || !isClientApp(a) || !isHttpUrl(u)) return null;
  if (typeof n !== 'string' || n.length > 64 || (l !== 'ru' && l !== 'en')) return null;
  if (typeof e !== 'number' || !Number.isSafeInteger(e) || e <= 0) return null;
  if (k !== undefined && !(Array.isArray(k) && k.length === 2 && isCount(k[0]) && isCount(k[1]))) return null;
  if (b !== undefined && (typeof b !== 'string' || !BOT_USERNAME.test(b))) return null;
  const link: GoLink = { app: a, url: u, name: n, lang: l, expiresAt: new Date(e * 1000) };
  if (Array.isArray(k)) link.key = { account: k[0] as number, version: k[1] as number };
  if (typeof b === 'string') link.bot = b;
  return link;
}

/**
 * The one implementation of `/go/<token>` tokens, shared by the client bot (which seals them into
 * "add to app" buttons) and the webhooks service (which opens them). The subscription URL is a
 * credential and the token sits in a URL path (browser history, proxy logs), so the token is
 * AES-256-GCM ciphertext: `base64url(version ‖ 12-byte random IV ‖ 16-byte tag ‖ ciphertext)`
 * of `{a,u,n,l,e,k?,b?}` JSON with the expiry inside (and the key version, `k`), the version byte authenticated too. Nothing is
 * stored; only a token sealed with our key opens, names an allow-listed app and an http(s) URL,
 * and has not expired — so the page is never an open redirect.
 */
export function createGoTokens(secret: string): GoTokens {
  const key = tokenKey(secret);
  return {
    sign(link) {
      if (!isClientApp(link.app) || !isHttpUrl(link.url)) throw new Error('a go link needs a known app and an http(s) subscription URL');
      if (link.key && !(isCount(link.key.account) && isCount(link.key.version)))
        throw new Error('a go link key names an account id and a version');
      if (link.bot !== undefined && !BOT_USERNAME.test(link.bot)) throw new Error('a go link bot is a Telegram username');
      const payload = {
        a: link.app,
        u: link.url,
        n: link.name.slice(0, 64),
        l: link.lang,
        e: Math.floor(link.expiresAt.getTime() / 1000),
        ...(link.key ? { k: [link.key.account, link.key.version] } : {}),
        ...(link.bot ? { b: link.bot } : {}),
      };
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(HEADER);
      const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
      return Buffer.concat([HEADER, iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    verify(token, now = new Date()) {
      if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
      const raw = Buffer.from(token, 'base64url');
      if (raw.length <= 1 + IV_BYTES + TAG_BYTES || raw[0] !== VERSION) return null;
      const iv = raw.subarray(1, 1 + IV_BYTES);
      const tag = raw.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      let json: unknown;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(HEADER).setAuthTag(tag);
        const plain = Buffer.concat([decipher.update(raw.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
        json = JSON.parse(plain.toString('utf8'));
      } catch {
        return null;
      }
      const link = parsePayload(json);
      return link && link.expiresAt.getTime() > now.getTime() ? link : null;
    },
  };
}
