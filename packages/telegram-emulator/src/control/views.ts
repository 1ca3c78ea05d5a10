import type { TgEntity, TgInlineKeyboard, TgMessage } from '../types.js';

/** What the control API answers: results of user actions and read-only views of the world. */

/** The result of a user action: the new (or edited) message and the updates it produced. */
export interface ActionResult {
  seq: number;
  chatId: number;
  messageId: number;
  message: TgMessage;
  updateIds: number[];
}

export interface PressResult {
  seq: number;
  callbackQueryId: string;
  chatId: number;
  messageId: number;
  data: string;
  updateIds: number[];
}

export interface PaymentResult {
  /** The event sequence number of the payment message (or of the pre-checkout query when it failed). */
  seq: number;
  status: 'paid' | 'declined' | 'timeout';
  preCheckoutQueryId?: string;
  errorMessage?: string;
  chargeId?: string;
  /** The `successful_payment` message in the user's chat with the bot. */
  messageId?: number;
}

/** A message as tests read it: the flat essentials plus the full Telegram object. */
export interface SentMessage {
  seq: number;
  chatId: number;
  messageId: number;
  threadId?: number;
  fromBot: boolean;
  /** The sending bot, or the bot whose private chat this is. */
  botId?: number;
  userId?: number;
  text?: string;
  caption?: string;
  /** Entities of the text or of the caption. */
  entities?: TgEntity[];
  replyMarkup?: TgInlineKeyboard;
  replyKeyboard?: Record<string, unknown>;
  /** File id of the largest photo size. */
  photoFileId?: string;
  documentFileId?: string;
  /** The kind of file the message carries (photo, document, voice, video, video_note, sticker, audio, animation). */
  mediaKind?: string;
  /** The file id of that media (the largest size for photos). */
  fileId?: string;
  mediaGroupId?: string;
  /** The message this one replies to (not the topic's creation message Telegram fills in). */
  replyToMessageId?: number;
  pinned?: boolean;
  editDate?: number;
  message: TgMessage;
}

export interface CallbackAnswerView {
  callbackQueryId: string;
  botId: number;
  userId: number;
  chatId: number;
  messageId: number;
  data?: string;
  answered: boolean;
  text?: string;
  showAlert?: boolean;
  url?: string;
}

export interface TopicView {
  threadId: number;
  name: string;
  iconColor: number;
  iconCustomEmojiId?: string;
  closed: boolean;
  archived?: boolean;
}

export interface FileView {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  fileName?: string;
  mimeType?: string;
  /** Base64 of the bytes. */
  data: string;
}
