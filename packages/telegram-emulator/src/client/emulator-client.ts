import type { BotInfo } from '../state/bots.js';
import type { CallRecord } from '../state/call-log.js';
import { EmulatorTimeoutError, type EmulatorEvent, type EventType } from '../state/events.js';
import type { FaultSpec } from '../state/faults.js';
import type { RateLimitConfig } from '../state/rate-limit.js';
import type { Timings } from '../state/world.js';
import type { TgChat, TgUser } from '../types.js';
import { invokeControl } from '../control/invoke.js';
import type * as T from '../control/types.js';

/** A control call the emulator refused (bad input, unknown chat, Telegram-side error). */
export class EmulatorControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorControlError';
  }
}

type Transport = (action: T.ControlAction, input: unknown) => Promise<unknown>;

/** Bytes for uploads: a Buffer/Uint8Array, or a base64 string. */
export type Bytes = Uint8Array | string;

export type WithBytes<I extends { data: string }> = Omit<I, 'data'> & { data: Bytes };

const toBase64 = (data: Bytes): string => (typeof data === 'string' ? data : Buffer.from(data).toString('base64'));

/**
 * The typed control client for tests and the sandbox: the `ControlApi` surface over HTTP
 * (`EmulatorClient.http(url)`) or in-process (`emulator.client`), plus a cursor so that
 * `waitForMessage` means "the bot's next message after my last action (or the last one I
 * read) in that chat" and a reply that beats the wait is never missed.
 */
export class EmulatorClient {
  private lastActionSeq = 0;
  private readonly seen = new Map<string, number>();

  private constructor(private readonly transport: Transport) {}

  /** A client talking to an emulator's `/control` API at `url` (the emulator's base URL). */
  static http(url: string): EmulatorClient {
    const base = url.replace(/\/+$/, '');
    return new EmulatorClient(async (action, input) => {
      const res = await fetch(`${base}/control/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      const body = (await res.json()) as {
        ok: boolean;
        result?: unknown;
        error?: string;
        timeout?: boolean;
      };
      if (body.ok) return body.result;
      if (body.timeout) throw new EmulatorTimeoutError(body.error ?? `${action} timed out`);
      throw new EmulatorControlError(body.error ?? `control action ${action} failed with HTTP ${res.status}`);
    });
  }

  /** A client bound to an in-process `Control`. */
  static inProcess(control: T.ControlApi): EmulatorClient {
    return new EmulatorClient((action, input) => invokeControl(control, action, input));
  }

  private call<R>(action: T.ControlAction, input?: unknown): Promise<R> {
    return this.transport(action, input) as Promise<R>;
  }

  private async act<R extends { seq: number }>(action: T.ControlAction, input: unknown): Promise<R> {
    const result = await this.call<R>(action, input);
    this.lastActionSeq = Math.max(this.lastActionSeq, result.seq);
    return result;
  }

  private cursorKey(q: T.MessageQuery): string {
    return `${q.chatId}:${q.threadId ?? ''}`;
  }

  private async waitWithCursor(action: 'waitForMessage' | 'waitForEdit', query: T.WaitQuery): Promise<T.SentMessage> {
    const key = this.cursorKey(query);
    const after = query.after ?? Math.max(this.lastActionSeq, this.seen.get(key) ?? 0);
    const message = await this.call<T.SentMessage>(action, { ...query, after });
    this.seen.set(key, Math.max(this.seen.get(key) ?? 0, message.seq));
    return message;
  }

  // Setup
  registerBot(input: T.RegisterBotInput): Promise<BotInfo> {
    return this.call('registerBot', input);
  }
  listBots(): Promise<BotInfo[]> {
    return this.call('listBots');
  }
  createUser(input: T.CreateUserInput): Promise<TgUser> {
    return this.call('createUser', input);
  }
  createSupergroup(input: T.CreateSupergroupInput): Promise<TgChat> {
    return this.call('createSupergroup', input);
  }
  addMember(input: T.AddMemberInput): Promise<true> {
    return this.call('addMember', input);
  }

  // Acting as a user
  sendText(input: T.SendTextInput): Promise<T.ActionResult> {
    return this.act('sendText', input);
  }
  sendCommand(input: T.SendCommandInput): Promise<T.ActionResult> {
    return this.act('sendCommand', input);
  }
  /** `/start` (with an optional deep-link payload) in the user's private chat with `bot`. */
  start(input: { from: number; bot: T.BotRef; payload?: string }): Promise<T.ActionResult> {
    return this.sendCommand({ ...input, command: 'start' });
  }
  /** A user sends a photo (PNG/JPEG/GIF/WebP bytes). */
  sendPhoto(input: WithBytes<T.SendMediaInput>): Promise<T.ActionResult> {
    return this.act('sendPhoto', { ...input, data: toBase64(input.data) });
  }
  sendDocument(input: WithBytes<T.SendMediaInput>): Promise<T.ActionResult> {
    return this.act('sendDocument', { ...input, data: toBase64(input.data) });
  }
  /** Pays an invoice: resolves once the bot answered the pre-checkout query (or it timed out). */
  payInvoice(input: T.PayInvoiceInput): Promise<T.PaymentResult> {
    return this.act('payInvoice', input);
  }
  /** Telegram's automatic 30-day renewal of a Stars subscription. */
  renewSubscription(input: { chargeId: string }): Promise<T.PaymentResult> {
    return this.act('renewSubscription', input);
  }
  editText(input: T.EditTextInput): Promise<T.ActionResult> {
    return this.act('editText', input);
  }
  editCaption(input: T.EditCaptionInput): Promise<T.ActionResult> {
    return this.act('editCaption', input);
  }
  /** A user sends a file of any kind: voice, video, video_note, sticker, audio, animation, photo, document. */
  sendMedia(input: WithBytes<T.SendFileInput>): Promise<T.ActionResult> {
    return this.act('sendMedia', { ...input, data: toBase64(input.data) });
  }
  sendLocation(input: T.SendLocationInput): Promise<T.ActionResult> {
    return this.act('sendLocation', input);
  }
  sendContact(input: T.SendContactInput): Promise<T.ActionResult> {
    return this.act('sendContact', input);
  }
  /** A user sends an album: one message per item sharing `media_group_id`. */
  sendAlbum(
    input: Omit<T.SendAlbumInput, 'items'> & { items: (Omit<T.SendAlbumInput['items'][number], 'data'> & { data: Bytes })[] },
  ): Promise<T.AlbumResult> {
    return this.act('sendAlbum', { ...input, items: input.items.map((i) => ({ ...i, data: toBase64(i.data) })) });
  }
  /** A member closes, reopens, renames, deletes a topic by hand (or Telegram archives it). */
  manageTopic(input: T.ManageTopicInput): Promise<{ seq: number; updateIds: number[] }> {
    return this.act('manageTopic', input);
  }
  pressButton(input: T.PressButtonInput): Promise<T.PressResult> {
    return this.act('pressButton', input);
  }
  blockBot(input: T.BlockInput): Promise<{ seq: number; updateIds: number[] }> {
    return this.act('blockBot', input);
  }
  unblockBot(input: T.BlockInput): Promise<{ seq: number; updateIds: number[] }> {
    return this.act('unblockBot', input);
  }

  // Reading
  getMessages(query: T.MessageQuery): Promise<T.SentMessage[]> {
    return this.call('getMessages', query);
  }
  /** The newest message matching the query (default: from a bot), or undefined. */
  async lastMessage(query: T.MessageQuery): Promise<T.SentMessage | undefined> {
    return (await this.getMessages(query)).at(-1);
  }
  /** The bot's next message in the chat/topic after this client's last action or read (or `after`). */
  waitForMessage(query: T.WaitQuery): Promise<T.SentMessage> {
    return this.waitWithCursor('waitForMessage', query);
  }
  /** The bot's next edit in the chat/topic (of `messageId` if given), same cursor rules. */
  waitForEdit(query: T.WaitQuery): Promise<T.SentMessage> {
    return this.waitWithCursor('waitForEdit', query);
  }
  getCallbackAnswers(query: { bot?: T.BotRef; callbackQueryId?: string } = {}): Promise<T.CallbackAnswerView[]> {
    return this.call('getCallbackAnswers', query);
  }
  waitForCallbackAnswer(input: { callbackQueryId: string; timeoutMs?: number }): Promise<T.CallbackAnswerView> {
    return this.call('waitForCallbackAnswer', input);
  }
  getTopics(input: { chatId: number }): Promise<T.TopicView[]> {
    return this.call('getTopics', input);
  }
  getFile(input: { fileId: string }): Promise<T.FileView> {
    return this.call('getFile', input);
  }
  /** The bytes of a file by id. */
  async downloadFile(fileId: string): Promise<Buffer> {
    return Buffer.from((await this.getFile({ fileId })).data, 'base64');
  }
  getCalls(input: { bot?: T.BotRef; method?: string } = {}): Promise<CallRecord[]> {
    return this.call('getCalls', input);
  }
  getEvents(input: { after?: number; types?: EventType[] } = {}): Promise<EmulatorEvent[]> {
    return this.call('getEvents', input);
  }
  currentSeq(): Promise<number> {
    return this.call('currentSeq');
  }
  /** Makes later waits ignore everything that happened so far. */
  async mark(): Promise<number> {
    this.lastActionSeq = await this.currentSeq();
    return this.lastActionSeq;
  }

  // Test knobs
  injectFault(spec: FaultSpec): Promise<{ id: number }> {
    return this.call('injectFault', spec);
  }
  clearFaults(): Promise<true> {
    return this.call('clearFaults');
  }
  setRateLimits(limits: Partial<RateLimitConfig> | false): Promise<true> {
    return this.call('setRateLimits', { limits });
  }
  getPaidBroadcasts(bot: T.BotRef): Promise<{ messages: number; stars: number }> {
    return this.call('getPaidBroadcasts', { bot });
  }
  setTimings(timings: Partial<Timings>): Promise<true> {
    return this.call('setTimings', timings);
  }
  reset(input: { bots?: boolean } = {}): Promise<true> {
    return this.call('reset', input);
  }
}
