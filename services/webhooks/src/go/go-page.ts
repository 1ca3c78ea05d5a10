import type { I18n, Language } from '@vpn/i18n';

/** HTML-escapes text and attribute values. */
export function escapeHtmlAttr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The app-import page: a big "Open in <App>" button whose href is the deep link (Telegram only
 * opens https links, so the bot links here and the page hands over to the app), an automatic
 * hand-over after a moment, and a copy-the-link fallback (its field fits a phone-width screen:
 * border-box sizing, so padding does not push it past the edge). Texts come from i18n
 * (`notifications.openApp.*`); no external assets, so the CSP can forbid everything else.
 */
export function renderGoPage(i18n: I18n, lang: Language, view: { appName: string; deepLink: string; subscriptionUrl: string }): string {
  const t = i18n.forLanguage(lang);
  const href = escapeHtmlAttr(view.deepLink);
  const url = escapeHtmlAttr(view.subscriptionUrl);
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${t('notifications.openApp.title')}</title>
<style>*{box-sizing:border-box}body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;text-align:center}
a.open{display:block;padding:1rem;border-radius:.75rem;background:#2481cc;color:#fff;text-decoration:none;font-size:1.2rem}
input{display:block;width:100%;max-width:100%;min-width:0;margin-top:1rem;padding:.5rem;font-size:.9rem}button{margin-top:.5rem;padding:.5rem 1rem}</style></head>
<body><h1>${t('notifications.openApp.title')}</h1>
<a class="open" id="open" href="${href}">${t('notifications.openApp.open', { app: view.appName })}</a>
<p>${t('notifications.openApp.hint')}</p>
<input id="link" readonly value="${url}"><button id="copy" type="button">${t('notifications.openApp.copy')}</button>
<script>
setTimeout(function(){location.href=document.getElementById('open').getAttribute('href')},1200);
document.getElementById('copy').onclick=function(){var i=document.getElementById('link');i.select();navigator.clipboard&&navigator.clipboard.writeText(i.value)};
</script></body></html>`;
}

/** The page for a link to a key a reissue replaced: no redirect, a button back to the bot. */
export function renderReplacedPage(i18n: I18n, lang: Language, botUrl: string | null): string {
  const t = i18n.forLanguage(lang);
  const button = botUrl ? `<p><a href="${escapeHtmlAttr(botUrl)}">${t('notifications.openApp.backToBot')}</a></p>` : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${t('notifications.openApp.title')}</title></head><body><p>${t('notifications.openApp.replaced')}</p>${button}</body></html>`;
}

/** The page for a link that is forged, malformed or expired: no redirect of any kind. */
export function renderExpiredPage(i18n: I18n, lang: Language): string {
  const t = i18n.forLanguage(lang);
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${t('notifications.openApp.title')}</title></head><body><p>${t('notifications.openApp.expired')}</p></body></html>`;
}
