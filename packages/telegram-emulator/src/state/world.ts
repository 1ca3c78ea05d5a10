import { BotRegistry } from './bots.js';
import { CallLog } from './call-log.js';
import { CallbackStore } from './callbacks.js';
import { ChatStore } from './chats.js';
import { EventLog } from './events.js';
import { FaultInjector } from './faults.js';
import { FileStore } from './files.js';
import { PaymentStore } from './payments.js';
import { RateLimiter, type RateLimitConfig } from './rate-limit.js';

/** Timings of the emulated Telegram; tests shorten them. */
export interface Timings {
  /** How long a callback query can still be answered. Telegram: about 15 s. */
  callbackQueryTtlMs: number;
  /** How long the bot has to answer a pre-checkout query. Telegram: 10 s. */
  preCheckoutTimeoutMs: number;
  /** First and longest pause between webhook delivery attempts. */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** How long a webhook may take to answer before the attempt counts as failed. */
  webhookTimeoutMs: number;
}

export const TELEGRAM_TIMINGS: Timings = {
  callbackQueryTtlMs: 15_000,
  preCheckoutTimeoutMs: 10_000,
  webhookRetryBaseMs: 1_000,
  webhookRetryMaxMs: 60_000,
  webhookTimeoutMs: 60_000,
};

export interface WorldOptions {
  rateLimits?: Partial<RateLimitConfig> | false;
  timings?: Partial<Timings>;
  /** Fixes the first update id of every bot (default: derived from the clock). */
  firstUpdateId?: number;
}

/** Something that runs in the background for a bot (a webhook delivery loop) and must stop. */
export interface BotWorker {
  stop(): void;
}

/** The whole emulated Telegram: bots, people, chats, files, payments and the event history. */
export class World {
  readonly bots: BotRegistry;
  readonly chats = new ChatStore();
  readonly files = new FileStore();
  readonly callbacks = new CallbackStore();
  readonly events = new EventLog();
  readonly faults = new FaultInjector();
  readonly calls = new CallLog();
  readonly payments = new PaymentStore();
  readonly limiter: RateLimiter;
  readonly timings: Timings;
  /** Webhook delivery loops by bot id. */
  readonly workers = new Map<number, BotWorker>();

  constructor(options: WorldOptions = {}) {
    this.bots = new BotRegistry(options.firstUpdateId);
    this.limiter = new RateLimiter(options.rateLimits ?? undefined);
    this.timings = { ...TELEGRAM_TIMINGS, ...options.timings };
  }

  /**
   * Forgets users, chats, messages, files, payments, faults and pending updates. Bots stay
   * registered (with their webhooks) unless `bots` is true, so a running bot keeps working.
   */
  reset(options: { bots?: boolean } = {}): void {
    this.chats.clear();
    this.files.clear();
    this.callbacks.clear();
    this.events.clear();
    this.faults.clear();
    this.calls.clear();
    this.payments.clear();
    this.limiter.reset();
    for (const bot of this.bots.all()) bot.queue.drop();
    if (options.bots) {
      this.stopWorkers();
      this.bots.clear();
    }
  }

  stopWorkers(): void {
    for (const worker of this.workers.values()) worker.stop();
    this.workers.clear();
  }
}
