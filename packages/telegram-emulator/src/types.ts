/**
 * The slice of the Bot API object model the emulator produces. Field names are Telegram's
 * (snake_case) because these objects go over the wire unchanged; the index signatures keep the
 * rarely used optional fields (invoice, successful_payment, forum service messages) open.
 */

/** https://core.telegram.org/bots/api#user */
export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
}

/** https://core.telegram.org/bots/api#chat */
export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  is_forum?: true;
}

/** https://core.telegram.org/bots/api#messageentity (offsets and lengths in UTF-16 code units). */
export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  user?: TgUser;
  language?: string;
  custom_emoji_id?: string;
}

/** An inline keyboard button; exactly one of the optional action fields is set. */
export interface TgInlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  pay?: boolean;
  [field: string]: unknown;
}

export interface TgInlineKeyboard {
  inline_keyboard: TgInlineButton[][];
}

/** https://core.telegram.org/bots/api#photosize */
export interface TgPhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

/** https://core.telegram.org/bots/api#document */
export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
}

/** https://core.telegram.org/bots/api#message */
export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  message_thread_id?: number;
  is_topic_message?: true;
  reply_to_message?: TgMessage;
  edit_date?: number;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  photo?: TgPhotoSize[];
  document?: TgDocument;
  reply_markup?: TgInlineKeyboard;
  [field: string]: unknown;
}

/** https://core.telegram.org/bots/api#update */
export interface TgUpdate {
  update_id: number;
  [kind: string]: unknown;
}

/** The kinds of update the emulator can emit; `allowed_updates` filters on these. */
export type UpdateKind = 'message' | 'edited_message' | 'callback_query' | 'pre_checkout_query' | 'my_chat_member' | 'chat_member';
