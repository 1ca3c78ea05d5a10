import type { Logger } from '@vpn/logger';
import { unixNow, type Dispatch } from '../api/context.js';
import type { BotRecord, WebhookConfig } from '../state/bots.js';
import type { BotWorker, Timings } from '../state/world.js';
import type { TgUpdate } from '../types.js';
import { Params } from './params.js';

/** Header Telegram puts on every webhook request when `secret_token` was set. */
export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Delivers one bot's updates to its webhook, one at a time and in order. An update leaves the
 * queue only after a 2xx; otherwise the error is recorded for `getWebhookInfo` and the same
 * update is retried after an exponential pause. A JSON body with a `method` in the response is
 * executed as a Bot API call, as Telegram does with webhook replies.
 */
export class WebhookDelivery implements BotWorker {
  private readonly controller = new AbortController();

  constructor(
    private readonly bot: BotRecord,
    private readonly config: WebhookConfig,
    private readonly timings: Timings,
    private readonly dispatch: Dispatch,
    private readonly logger: Logger,
    /** Marks the file ids an update shows the bot as usable by it (see `FileStore.grantSeen`). */
    private readonly seen: (botId: number, update: TgUpdate) => void = () => undefined,
  ) {}

  start(): void {
    void this.loop().catch((error: unknown) => this.logger.error({ err: error }, 'webhook delivery loop failed'));
  }

  stop(): void {
    this.controller.abort();
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const [update] = this.bot.queue.peek(1);
      if (!update) {
        await this.bot.queue.waitForUpdate(60_000, this.controller.signal, false);
        continue;
      }
      const error = await this.post(update);
      if (this.stopped) return;
      if (error === undefined) {
        this.bot.queue.confirmId(update.update_id);
        failures = 0;
        continue;
      }
      this.bot.lastErrorDate = unixNow();
      this.bot.lastErrorMessage = error;
      failures += 1;
      const pause = Math.min(this.timings.webhookRetryBaseMs * 2 ** (failures - 1), this.timings.webhookRetryMaxMs);
      this.logger.debug({ botId: this.bot.id, updateId: update.update_id, error, pause }, 'webhook delivery failed');
      await sleep(pause, this.controller.signal);
    }
  }

  /** Returns Telegram's `last_error_message` wording on failure, `undefined` on success. */
  private async post(update: TgUpdate): Promise<string | undefined> {
    this.seen(this.bot.id, update);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.config.secretToken) headers[SECRET_HEADER] = this.config.secretToken;
    const timeout = AbortSignal.timeout(this.timings.webhookTimeoutMs);
    try {
      const res = await fetch(this.config.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.controller.signal, timeout]),
      });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) return `Wrong response from the webhook: ${res.status} ${res.statusText}`;
      await this.runReply(text);
      return undefined;
    } catch {
      return timeout.aborted ? 'Read timeout expired' : 'Connection refused';
    }
  }

  private async runReply(text: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof body !== 'object' || body === null || typeof (body as { method?: unknown }).method !== 'string') return;
    const { method, ...params } = body as Record<string, unknown> & { method: string };
    // Telegram gives no feedback on a failed webhook reply; the emulator logs it.
    await this.dispatch(this.bot, method, new Params(params)).catch((error: unknown) => {
      this.logger.debug({ err: error, method }, 'webhook reply failed');
    });
  }
}
