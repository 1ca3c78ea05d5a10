import { createHmac } from 'node:crypto';
import type { Language } from '@vpn/i18n';

/** What one "add to app" button opens: an app, a subscription URL, the profile name. */
export interface GoLinkInput {
  /** An app id the webhooks service's `/go` page knows (`happ`, `v2rayng`, ...). */
  app: string;
  subscriptionUrl: string;
  profileName: string;
  language: Language;
}

/** Makes the https links of the webhooks service's app-import page (`GET /go/<token>`). */
export interface GoLinkSigner {
  url(input: GoLinkInput): string;
}

const MAC_BYTES = 16;

/**
 * Signs `/go/<token>` links in the webhooks service's token format (services/webhooks
 * `go/go-token.ts`): base64url of `{a,u,n,l,e}` JSON, a dot, the first 16 bytes of
 * HMAC-SHA-256(GO_LINK_SECRET, body) in base64url. Telegram only opens https links, so an app's
 * own scheme (`happ://…`) is reached through that page; the token is opaque, signed and expires,
 * so the page is never an open redirect. Kept here because a bot may not import a service; the
 * format is checked end to end against the running webhooks service.
 */
export function createGoLinkSigner(options: { secret: string; baseUrl: string; ttlMs?: number; now?: () => Date }): GoLinkSigner {
  const base = options.baseUrl.replace(/\/+$/, '');
  const ttlMs = options.ttlMs ?? 30 * 24 * 3_600_000;
  const now = options.now ?? (() => new Date());
  return {
    url(input) {
      const expires = Math.floor((now().getTime() + ttlMs) / 1000);
      const payload = { a: input.app, u: input.subscriptionUrl, n: input.profileName.slice(0, 64), l: input.language, e: expires };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      const mac = createHmac('sha256', options.secret).update(body).digest().subarray(0, MAC_BYTES).toString('base64url');
      return `${base}/go/${body}.${mac}`;
    },
  };
}
