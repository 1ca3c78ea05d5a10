import type { BotInfo } from '../state/bots.js';
import type { CallRecord } from '../state/call-log.js';
import type { EmulatorEvent, EventType } from '../state/events.js';
import type { FaultSpec } from '../state/faults.js';
import type { FileKind } from '../state/files.js';
import type { RateLimitConfig } from '../state/rate-limit.js';
import type { Timings } from '../state/world.js';
import type { TgChat, TgEntity, TgUser } from '../types.js';
import type { ActionResult, CallbackAnswerView, FileView, PaymentResult, PressResult, SentMessage, TopicView } from './views.js';

export type * from './views.js';

/** A bot named by token, username (with or without "@") or numeric id. */
export type BotRef = string | number;

export interface RegisterBotInput {
  token: string;
  username?: string;
  firstName?: string;
  canJoinGroups?: boolean;
  canReadAllGroupMessages?: boolean;
}

export interface CreateUserInput {
  id?: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
  isPremium?: boolean;
}

export interface BotMembership {
  bot: BotRef;
  /** Administrator (default) or plain member. */
  admin?: boolean;
  canManageTopics?: boolean;
  canDeleteMessages?: boolean;
  canPinMessages?: boolean;
}

export interface CreateSupergroupInput {
  title: string;
  /** A forum (topics enabled); default true. */
  isForum?: boolean;
  username?: string;
  id?: number;
  /** The creator; a user named "Owner" is made when absent. */
  ownerId?: number;
  bots?: BotMembership[];
  userIds?: number[];
  /** Users made administrators (with can_manage_topics, can_delete_messages, can_pin_messages). */
  adminIds?: number[];
}

export interface AddMemberInput {
  chatId: number;
  userId?: number;
  /** The user becomes an administrator with every right the emulator checks. */
  admin?: boolean;
  bot?: BotMembership;
}

/**
 * Where a user acts: the private chat with `bot`, or the group `chatId` (optionally in topic
 * `threadId`). `from` is the acting user's id.
 */
export interface ChatTarget {
  from: number;
  bot?: BotRef;
  chatId?: number;
  threadId?: number;
}

export interface SendTextInput extends ChatTarget {
  text: string;
  entities?: TgEntity[];
  /** Id of the message this one replies to. */
  replyTo?: number;
}

export interface SendCommandInput extends ChatTarget {
  /** Without the slash: "start". */
  command: string;
  /** Deep-link payload or arguments: "/start ref_abc" has payload "ref_abc". */
  payload?: string;
}

export interface SendMediaInput extends ChatTarget {
  /** File bytes, base64-encoded (the typed client accepts a Buffer and encodes it). */
  data: string;
  fileName?: string;
  mimeType?: string;
  caption?: string;
  replyTo?: number;
}

/** A file of a given kind (the kinds Telegram has; voice, video notes and stickers without captions). */
export interface SendFileInput extends SendMediaInput {
  kind: FileKind;
}

export interface SendLocationInput extends ChatTarget {
  latitude: number;
  longitude: number;
  replyTo?: number;
}

export interface SendContactInput extends ChatTarget {
  phoneNumber: string;
  firstName: string;
  userId?: number;
  replyTo?: number;
}

export interface SendAlbumInput extends ChatTarget {
  items: { kind: 'photo' | 'video' | 'document'; data: string; fileName?: string; mimeType?: string; caption?: string }[];
  replyTo?: number;
}

export interface AlbumResult {
  seq: number;
  mediaGroupId: string;
  messages: ActionResult[];
}

/** A user edits the caption of their own media message. */
export interface EditCaptionInput extends ChatTarget {
  messageId: number;
  caption: string;
}

/**
 * A member acts on a topic by hand (needs `can_manage_topics`, or to be the group's creator):
 * close/reopen/rename post a service message bots see; delete and archive send no update.
 */
export interface ManageTopicInput {
  from: number;
  chatId: number;
  threadId: number;
  action: 'close' | 'reopen' | 'rename' | 'delete' | 'archive';
  name?: string;
}

export interface EditTextInput extends ChatTarget {
  messageId: number;
  text: string;
}

/** Presses an inline button of the bot's newest message that has it (or of `messageId`). */
export interface PressButtonInput extends ChatTarget {
  /** The button's label. */
  text?: string;
  /** The button's exact `callback_data` (e.g. a menu plugin's hashed data). */
  data?: string;
  messageId?: number;
}

export interface PayInvoiceInput extends ChatTarget {
  /** The invoice message; default: the bot's newest invoice in the chat. */
  messageId?: number;
  /** Or an invoice link from `createInvoiceLink`. */
  link?: string;
}

export interface BlockInput {
  from: number;
  bot: BotRef;
}

export interface MessageQuery {
  chatId: number;
  /** Required for private chats (each bot has its own chat with a user); filters senders in groups. */
  bot?: BotRef;
  /** A topic; 1 means the General topic (messages without a thread id). */
  threadId?: number;
  /** Whose messages; default "bot". */
  sender?: 'bot' | 'user' | 'any';
  /** Only messages after this event sequence number. */
  after?: number;
}

export interface WaitQuery extends MessageQuery {
  /** Default 5000. */
  timeoutMs?: number;
  /** For `waitForEdit`: a specific message. */
  messageId?: number;
}

/**
 * The control API: the same operations in-process (`Control`), over HTTP (`POST /control/<name>`
 * with the input as JSON body) and through the typed `EmulatorClient`. Inputs and results are
 * plain JSON.
 */
export interface ControlApi {
  registerBot(input: RegisterBotInput): Promise<BotInfo>;
  listBots(): Promise<BotInfo[]>;
  createUser(input: CreateUserInput): Promise<TgUser>;
  createSupergroup(input: CreateSupergroupInput): Promise<TgChat>;
  addMember(input: AddMemberInput): Promise<true>;
  sendText(input: SendTextInput): Promise<ActionResult>;
  sendCommand(input: SendCommandInput): Promise<ActionResult>;
  sendPhoto(input: SendMediaInput): Promise<ActionResult>;
  sendDocument(input: SendMediaInput): Promise<ActionResult>;
  editText(input: EditTextInput): Promise<ActionResult>;
  editCaption(input: EditCaptionInput): Promise<ActionResult>;
  sendMedia(input: SendFileInput): Promise<ActionResult>;
  sendLocation(input: SendLocationInput): Promise<ActionResult>;
  sendContact(input: SendContactInput): Promise<ActionResult>;
  sendAlbum(input: SendAlbumInput): Promise<AlbumResult>;
  manageTopic(input: ManageTopicInput): Promise<{ seq: number; updateIds: number[] }>;
  pressButton(input: PressButtonInput): Promise<PressResult>;
  payInvoice(input: PayInvoiceInput): Promise<PaymentResult>;
  renewSubscription(input: { chargeId: string }): Promise<PaymentResult>;
  blockBot(input: BlockInput): Promise<{ seq: number; updateIds: number[] }>;
  unblockBot(input: BlockInput): Promise<{ seq: number; updateIds: number[] }>;
  getMessages(query: MessageQuery): Promise<SentMessage[]>;
  waitForMessage(query: WaitQuery): Promise<SentMessage>;
  waitForEdit(query: WaitQuery): Promise<SentMessage>;
  getCallbackAnswers(query: { bot?: BotRef; callbackQueryId?: string }): Promise<CallbackAnswerView[]>;
  waitForCallbackAnswer(input: { callbackQueryId: string; timeoutMs?: number }): Promise<CallbackAnswerView>;
  getTopics(input: { chatId: number }): Promise<TopicView[]>;
  getFile(input: { fileId: string }): Promise<FileView>;
  getCalls(input: { bot?: BotRef; method?: string }): Promise<CallRecord[]>;
  getEvents(input: { after?: number; types?: EventType[] }): Promise<EmulatorEvent[]>;
  currentSeq(): Promise<number>;
  injectFault(spec: FaultSpec): Promise<{ id: number }>;
  clearFaults(): Promise<true>;
  setRateLimits(input: { limits: Partial<RateLimitConfig> | false }): Promise<true>;
  /** Messages a bot sent on paid-broadcast tokens and the Stars they cost (0.1 each). */
  getPaidBroadcasts(input: { bot: BotRef }): Promise<{ messages: number; stars: number }>;
  setTimings(input: Partial<Timings>): Promise<true>;
  reset(input?: { bots?: boolean }): Promise<true>;
}

/** The control action names, for routing and for the client. */
export type ControlAction = keyof ControlApi;
