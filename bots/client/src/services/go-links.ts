import type { Language } from '@vpn/i18n';
import { createGoTokens, isClientApp } from '@vpn/vpn/go-links';

/** What one "add to app" button opens: an app, a subscription URL, the profile name. */
export interface GoLinkInput {
  /** An app id the webhooks service's `/go` page knows (`happ`, `v2rayng`, ...). */
  app: string;
  subscriptionUrl: string;
  profileName: string;
  language: Language;
  /** The account and its key version (reissues completed): a later reissue makes the link refuse. */
  key?: { account: number; version: number };
  /** This bot's username, for the "back to the bot" button of a replaced key's page. */
  botUsername?: string;
}

/** Makes the https links of the webhooks service's app-import page (`GET /go/<token>`). */
export interface GoLinkSigner {
  url(input: GoLinkInput): string;
}

/**
 * Makes `/go/<token>` links to the webhooks service's app-import page. Telegram only opens https
 * links, so an app's own scheme (`happ://…`) is reached through that page. The token is sealed by
 * the one shared implementation (`@vpn/vpn/go-links`, AES-256-GCM, expiry inside), so the
 * subscription URL (a credential) never shows in the link and the page is never an open redirect.
 */
export function createGoLinkSigner(options: { secret: string; baseUrl: string; ttlMs?: number; now?: () => Date }): GoLinkSigner {
  const base = options.baseUrl.replace(/\/+$/, '');
  const ttlMs = options.ttlMs ?? 30 * 24 * 3_600_000;
  const now = options.now ?? (() => new Date());
  const tokens = createGoTokens(options.secret);
  return {
    url(input) {
      if (!isClientApp(input.app)) throw new Error(`app ${input.app} has no deep link the /go page knows`);
      const token = tokens.sign({
        app: input.app,
        url: input.subscriptionUrl,
        name: input.profileName,
        lang: input.language,
        expiresAt: new Date(now().getTime() + ttlMs),
        ...(input.key ? { key: input.key } : {}),
        ...(input.botUsername ? { bot: input.botUsername } : {}),
      });
      return `${base}/go/${token}`;
    },
  };
}
