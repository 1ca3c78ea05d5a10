import Router from '@koa/router';
import type { I18n } from '@vpn/i18n';
import type { AppState } from '../context.js';
import { buildDeepLink, CLIENT_APPS, type GoTokens } from '@vpn/vpn/go-links';
import { renderExpiredPage, renderGoPage, renderReplacedPage } from '../go/go-page.js';

export interface GoLinkRouteDeps {
  tokens: GoTokens;
  i18n: I18n;
  /**
   * The current key version (reissues completed) of a VPN account, or null when it is gone. A
   * link naming another version imports a revoked key: it gets the "key replaced" page instead.
   */
  keyVersion(accountId: number): Promise<number | null>;
}

/** Inline script and style only; nothing loaded from anywhere, the page cannot be framed. */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/**
 * `GET /go/:token`: the https page a Telegram URL button opens; it hands the subscription over to
 * a VPN app by its deep link. The token is sealed by us (AES-256-GCM, `@vpn/vpn/go-links`, the
 * subscription URL is not readable in it) and names an allow-listed app, so this is
 * never an open redirect; a bad or expired token gets a 404 page without any redirect, and a
 * token for a key a reissue replaced gets a 410 page with a button back to the bot. The token
 * (it carries the subscription URL) is never logged.
 */
export function goLinkRoutes(deps: GoLinkRouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/go/:token', async (ctx) => {
    ctx.state.route = '/go/:token';
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = 'html';
    const link = deps.tokens.verify(ctx.params.token ?? '');
    if (!link) {
      ctx.state.log.warn({ route: '/go/:token' }, 'go link rejected: forged, malformed or expired');
      ctx.status = 404;
      ctx.body = renderExpiredPage(deps.i18n, ctx.acceptsLanguages('ru', 'en') === 'ru' ? 'ru' : 'en');
      return;
    }
    if (link.key && (await deps.keyVersion(link.key.account)) !== link.key.version) {
      // A reissue replaced this key since the button was made: never hand the revoked one over.
      ctx.state.log.info({ route: '/go/:token', accountId: link.key.account }, 'go link for a replaced key');
      ctx.status = 410;
      ctx.body = renderReplacedPage(deps.i18n, link.lang, link.bot ? `https://t.me/${link.bot}` : null);
      return;
    }
    const deepLink = buildDeepLink(link.app, link.url, link.name);
    ctx.body = renderGoPage(deps.i18n, link.lang, { appName: CLIENT_APPS[link.app].name, deepLink, subscriptionUrl: link.url });
  });
  return router;
}
