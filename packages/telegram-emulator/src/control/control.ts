import type { BotInfo } from '../state/bots.js';
import type { CallRecord } from '../state/call-log.js';
import type { EmulatorEvent, EventType } from '../state/events.js';
import type { FaultSpec } from '../state/faults.js';
import type { RateLimitConfig } from '../state/rate-limit.js';
import type { Timings, World } from '../state/world.js';
import type { TgChat, TgUser } from '../types.js';
import * as inspect from './inspect.js';
import { payInvoice, renewSubscription } from './payment-flow.js';
import { pressButton } from './press-button.js';
import { ControlError, findBot } from './resolve.js';
import * as setup from './setup.js';
import type * as T from './types.js';
import * as act from './user-actions.js';
import { sendAlbum, sendContact, sendDocument, sendLocation, sendMedia, sendPhoto } from './user-media.js';
import { manageTopic } from './topic-actions.js';

/**
 * The control API in-process. Every method is async and takes/returns plain JSON, so the HTTP
 * routes and `EmulatorClient` expose exactly the same surface (see `ControlApi`).
 */
export class Control implements T.ControlApi {
  constructor(private readonly world: World) {}

  async registerBot(input: T.RegisterBotInput): Promise<BotInfo> {
    return setup.registerBot(this.world, input);
  }
  async listBots(): Promise<BotInfo[]> {
    return this.world.bots.all().map((b) => structuredClone(b.info));
  }
  async createUser(input: T.CreateUserInput): Promise<TgUser> {
    return setup.createUser(this.world, input);
  }
  async createSupergroup(input: T.CreateSupergroupInput): Promise<TgChat> {
    return setup.createSupergroup(this.world, input);
  }
  async addMember(input: T.AddMemberInput): Promise<true> {
    return setup.addMember(this.world, input);
  }
  async sendText(input: T.SendTextInput): Promise<T.ActionResult> {
    return act.sendText(this.world, input);
  }
  async sendCommand(input: T.SendCommandInput): Promise<T.ActionResult> {
    return act.sendCommand(this.world, input);
  }
  async sendPhoto(input: T.SendMediaInput): Promise<T.ActionResult> {
    return sendPhoto(this.world, input);
  }
  async sendDocument(input: T.SendMediaInput): Promise<T.ActionResult> {
    return sendDocument(this.world, input);
  }
  payInvoice(input: T.PayInvoiceInput): Promise<T.PaymentResult> {
    return payInvoice(this.world, input);
  }
  async renewSubscription(input: { chargeId: string }): Promise<T.PaymentResult> {
    return renewSubscription(this.world, input);
  }
  async editText(input: T.EditTextInput): Promise<T.ActionResult> {
    return act.editText(this.world, input);
  }
  async editCaption(input: T.EditCaptionInput): Promise<T.ActionResult> {
    return act.editCaption(this.world, input);
  }
  async sendMedia(input: T.SendFileInput): Promise<T.ActionResult> {
    return sendMedia(this.world, input);
  }
  async sendLocation(input: T.SendLocationInput): Promise<T.ActionResult> {
    return sendLocation(this.world, input);
  }
  async sendContact(input: T.SendContactInput): Promise<T.ActionResult> {
    return sendContact(this.world, input);
  }
  async sendAlbum(input: T.SendAlbumInput): Promise<T.AlbumResult> {
    return sendAlbum(this.world, input);
  }
  async manageTopic(input: T.ManageTopicInput): Promise<{ seq: number; updateIds: number[] }> {
    return manageTopic(this.world, input);
  }
  async pressButton(input: T.PressButtonInput): Promise<T.PressResult> {
    return pressButton(this.world, input);
  }
  async blockBot(input: T.BlockInput): Promise<{ seq: number; updateIds: number[] }> {
    return act.blockBot(this.world, input);
  }
  async unblockBot(input: T.BlockInput): Promise<{ seq: number; updateIds: number[] }> {
    return act.unblockBot(this.world, input);
  }
  async getMessages(query: T.MessageQuery): Promise<T.SentMessage[]> {
    return inspect.getMessages(this.world, query);
  }
  waitForMessage(query: T.WaitQuery): Promise<T.SentMessage> {
    return inspect.waitForMessage(this.world, query);
  }
  waitForEdit(query: T.WaitQuery): Promise<T.SentMessage> {
    return inspect.waitForEdit(this.world, query);
  }
  async getCallbackAnswers(query: { bot?: T.BotRef; callbackQueryId?: string }): Promise<T.CallbackAnswerView[]> {
    return inspect.getCallbackAnswers(this.world, query);
  }
  waitForCallbackAnswer(input: { callbackQueryId: string; timeoutMs?: number }): Promise<T.CallbackAnswerView> {
    return inspect.waitForCallbackAnswer(this.world, input);
  }
  async getTopics(input: { chatId: number }): Promise<T.TopicView[]> {
    return inspect.getTopics(this.world, input);
  }
  async getFile(input: { fileId: string }): Promise<T.FileView> {
    const file = this.world.files.get(input.fileId);
    if (!file) throw new ControlError(`unknown file ${input.fileId}`);
    return {
      fileId: file.fileId,
      fileUniqueId: file.uniqueId,
      filePath: file.path,
      data: file.data.toString('base64'),
      ...(file.fileName ? { fileName: file.fileName } : {}),
      ...(file.mimeType ? { mimeType: file.mimeType } : {}),
    };
  }
  async getCalls(input: { bot?: T.BotRef; method?: string }): Promise<CallRecord[]> {
    const botId = input.bot === undefined ? undefined : findBot(this.world, input.bot).id;
    return structuredClone(
      this.world.calls.list({
        ...(botId === undefined ? {} : { botId }),
        ...(input.method ? { method: input.method } : {}),
      }),
    );
  }
  async getEvents(input: { after?: number; types?: EventType[] }): Promise<EmulatorEvent[]> {
    return structuredClone(this.world.events.since(input.after ?? 0, (e) => !input.types || input.types.includes(e.type)));
  }
  async currentSeq(): Promise<number> {
    return this.world.events.seq;
  }
  async injectFault(spec: FaultSpec): Promise<{ id: number }> {
    if (!spec.method) throw new ControlError('method is required ("*" for any)');
    if (!spec.error && !spec.network) throw new ControlError('give error or network');
    const botId = spec.bot === undefined ? undefined : findBot(this.world, spec.bot).id;
    return { id: this.world.faults.add(spec, botId).id };
  }
  async clearFaults(): Promise<true> {
    this.world.faults.clear();
    return true;
  }
  async setRateLimits(input: { limits: Partial<RateLimitConfig> | false }): Promise<true> {
    this.world.limiter.configure(input.limits);
    return true;
  }
  async getPaidBroadcasts(input: { bot: T.BotRef }): Promise<{ messages: number; stars: number }> {
    const messages = this.world.payments.paidBroadcasts.get(findBot(this.world, input.bot).id) ?? 0;
    return { messages, stars: messages / 10 };
  }
  async setTimings(input: Partial<Timings>): Promise<true> {
    Object.assign(this.world.timings, input);
    return true;
  }
  async reset(input: { bots?: boolean } = {}): Promise<true> {
    this.world.reset(input);
    return true;
  }
}
