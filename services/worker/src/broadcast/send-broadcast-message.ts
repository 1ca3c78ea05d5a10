import type { Broadcast, BroadcastVersion } from '@vpn/db';
import type { I18n } from '@vpn/i18n';
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { BroadcastMedia } from './broadcast-media.js';

/** The version a customer gets: their language's, else the ru one (the broadcast's own fields). */
export function versionFor(broadcast: Broadcast, i18n: I18n, languageCode: string | null): BroadcastVersion {
  const lang = i18n.resolveLanguage(languageCode ?? undefined);
  return (
    broadcast.versions[lang] ?? {
      text: broadcast.text,
      media: (broadcast.media as BroadcastVersion['media']) ?? null,
      buttons: broadcast.buttons,
    }
  );
}

function keyboard(version: BroadcastVersion): { reply_markup?: InlineKeyboardMarkup } {
  const rows = version.buttons?.filter((row) => row.length > 0) ?? [];
  return rows.length === 0 ? {} : { reply_markup: { inline_keyboard: rows.map((row) => row.map((b) => ({ text: b.text, url: b.url }))) } };
}

/**
 * Sends one broadcast message (text, or photo/video with the text as caption, with its URL
 * buttons) and returns its message id. `paid`: with allow_paid_broadcast (the limiter gave a
 * paid slot or the broadcast runs paid). Media goes through `files`, which turns the admin bot's
 * file into one the client bot may send.
 */
export async function sendBroadcastMessage(
  api: Api,
  chatId: number,
  version: BroadcastVersion,
  paid: boolean,
  files: BroadcastMedia,
): Promise<number> {
  const extra = { ...keyboard(version), ...(paid ? { allow_paid_broadcast: true } : {}) };
  const media = version.media;
  if (!media) return (await api.sendMessage(chatId, version.text, extra)).message_id;
  const options = { caption: version.text, ...extra };
  const sent = await files.send(media, (file) =>
    media.kind === 'photo' ? api.sendPhoto(chatId, file, options) : api.sendVideo(chatId, file, options),
  );
  return sent.message_id;
}
