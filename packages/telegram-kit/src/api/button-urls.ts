import type { Logger } from '@vpn/logger';
import type { Transformer } from 'grammy';

/**
 * Whether Telegram opens `url` from an inline button. It answers "Wrong HTTP URL" for the whole
 * message when a button's host has no dot (`localhost`, a compose service name) or is an IPv6
 * literal, and for schemes other than http(s) and tg.
 */
export function telegramAcceptsButtonUrl(url: string): boolean {
  const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'tg') return true;
  if (scheme !== 'http' && scheme !== 'https') return false;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return !host.startsWith('[') && host.includes('.') && !host.split('.').includes('');
}

type Button = Record<string, unknown> & { url?: unknown };
type Markup = { inline_keyboard?: unknown };

/** The markup without the URL buttons Telegram would refuse (empty rows dropped), or `undefined` when nothing changes. */
function withoutRefusedUrls(markup: Markup): { markup: Markup; dropped: string[] } | undefined {
  if (!Array.isArray(markup.inline_keyboard)) return undefined;
  const dropped: string[] = [];
  const rows = (markup.inline_keyboard as Button[][]).map((row) =>
    row.filter((b) => {
      if (typeof b.url !== 'string' || telegramAcceptsButtonUrl(b.url)) return true;
      dropped.push(b.url);
      return false;
    }),
  );
  if (dropped.length === 0) return undefined;
  return { markup: { ...markup, inline_keyboard: rows.filter((row) => row.length > 0) }, dropped };
}

/** Where only the host is safe to log: a refused URL may carry a token (a `/go` link). */
const hostOf = (url: string): string => /^[a-z]+:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '?';

/**
 * Drops inline URL buttons Telegram would refuse, so a development set-up whose `PUBLIC_BASE_URL`
 * is `http://localhost:…` still shows its screens (without those buttons) instead of failing every
 * message that carries one. Menu buttons keep working: the menu plugin packs each button's position
 * from its own rendering, not from what Telegram shows. Logged once per host.
 */
export function dropRefusedUrlButtons(logger?: Logger): Transformer {
  const warned = new Set<string>();
  return (prev, method, payload, signal) => {
    const p = payload as Record<string, unknown>;
    const markup = p.reply_markup as Markup | undefined;
    const cleaned = markup && typeof markup === 'object' ? withoutRefusedUrls(markup) : undefined;
    if (!cleaned) return prev(method, payload, signal);
    for (const host of new Set(cleaned.dropped.map(hostOf))) {
      if (warned.has(host)) continue;
      warned.add(host);
      logger?.warn({ method, host }, 'button dropped: Telegram refuses URLs on this host (set PUBLIC_BASE_URL to a public https URL)');
    }
    return prev(method, { ...payload, reply_markup: cleaned.markup } as typeof payload, signal);
  };
}
