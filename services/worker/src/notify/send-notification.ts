import type { Database } from '@vpn/db';
import type { I18n, Language } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { NOTIFICATION_CALLBACKS, type NotificationKind } from '@vpn/queues';
import { subscriptionQrPng, wireguardConfigFile, wireguardConfigQrPng } from '@vpn/vpn';
import { InputFile, type Api } from 'grammy';
import type { InlineKeyboardButton, Message } from 'grammy/types';

type Params = Record<string, string | number | boolean | null>;

/** The kinds that hand the customer their VPN config (link or WireGuard file). */
const CONFIG_KINDS: ReadonlySet<NotificationKind> = new Set(['subscription_ready', 'key_reissued']);

/** Telegram: a caption is 0–1024 characters after entity parsing; `copy_text` copies 1–256. */
const CAPTION_MAX = 1_024;
const COPY_TEXT_MAX = 256;

const NO_PREVIEW = { is_disabled: true } as const;

/** The length Telegram counts for an HTML caption: tags are not text, an entity is one character. */
function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(#\d+|[a-z]+);/gi, '_').length;
}

/** Copy the link (when it fits a `copy_text` button) and open the config screen in the bot (guides, QR, file). */
function configKeyboard(i18n: I18n, lang: Language, link: string | null): { inline_keyboard: InlineKeyboardButton[][] } {
  const rows: InlineKeyboardButton[][] = [];
  if (link && link.length <= COPY_TEXT_MAX) rows.push([{ text: i18n.t(lang, 'notifications.config.copyLink'), copy_text: { text: link } }]);
  rows.push([{ text: i18n.t(lang, 'notifications.config.openConfig'), callback_data: NOTIFICATION_CALLBACKS.openConfig }]);
  return { inline_keyboard: rows };
}

export interface SendNotificationInput {
  chatId: number;
  lang: Language;
  kind: NotificationKind;
  params: Params;
  /** The rendered text (HTML). */
  text: string;
  log: Logger;
}

/**
 * Sends one notification as the client bot and returns the message that counts as "sent". Most
 * kinds are one text message. The config kinds carry what the customer needs without another
 * tap: a link as one photo (its QR) with the text as caption, a copy button and a button to the
 * bot's config screen, so the send is one call, all or nothing; a WireGuard config as the `.conf`
 * document with the text and buttons, then its QR as a second, best-effort photo (the document is
 * what counts; the config screen shows the QR again).
 */
export async function sendNotification(
  deps: { db: Pick<Database, 'repos'>; clientApi: Api; i18n: I18n },
  input: SendNotificationInput,
): Promise<Message> {
  const { chatId, lang, kind, params, text } = input;
  if (kind === 'server_outage' && typeof params.moveOutageId === 'number') {
    // The offer to move to a healthy server (made only when one has room): a line and its button.
    const button = {
      text: deps.i18n.t(lang, 'notifications.outageMove.button'),
      callback_data: `${NOTIFICATION_CALLBACKS.moveOffOutage}:${params.moveOutageId}`,
    };
    return deps.clientApi.sendMessage(chatId, `${text}\n\n${deps.i18n.t(lang, 'notifications.outageMove.offer')}`, {
      link_preview_options: NO_PREVIEW,
      reply_markup: { inline_keyboard: [[button]] },
    });
  }
  if (!CONFIG_KINDS.has(kind)) return deps.clientApi.sendMessage(chatId, text, { link_preview_options: NO_PREVIEW });
  const link = typeof params.link === 'string' ? params.link : null;
  const reply_markup = configKeyboard(deps.i18n, lang, link);

  if (params.wireguard === true && typeof params.subscriptionId === 'number') {
    // The .conf holds a private key: it is read from the database (encrypted at rest), never put in a job.
    const accounts = await deps.db.repos.vpnAccounts.findBySubscription(params.subscriptionId);
    const conf = accounts
      .filter((a) => a.syncState !== 'deleted' && a.syncState !== 'deleting' && a.wireguardConfig)
      .at(-1)?.wireguardConfig;
    if (conf) {
      const file = wireguardConfigFile('vpn', conf);
      const message = await deps.clientApi.sendDocument(chatId, new InputFile(file.content, file.filename), {
        caption: text,
        reply_markup,
      });
      try {
        await deps.clientApi.sendPhoto(chatId, new InputFile(await wireguardConfigQrPng(conf), 'wireguard-qr.png'), {
          caption: deps.i18n.t(lang, 'notifications.config.wireguardQrCaption'),
        });
      } catch (err) {
        input.log.warn({ err, kind }, 'WireGuard QR not sent; the config screen shows it');
      }
      return message;
    }
  }
  if (link && visibleLength(text) <= CAPTION_MAX) {
    return deps.clientApi.sendPhoto(chatId, new InputFile(await subscriptionQrPng(link), 'subscription-qr.png'), {
      caption: text,
      reply_markup,
    });
  }
  return deps.clientApi.sendMessage(chatId, text, { link_preview_options: NO_PREVIEW, reply_markup });
}
