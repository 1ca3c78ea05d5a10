import type { Logger } from '@vpn/logger';
import type { Redis } from 'ioredis';
import { GCRA_SCRIPT, PAUSE_SCRIPT } from './gcra.lua.js';

/**
 * The two delivery lanes. `transactional` (receipts, configs, reminders, support relays, doctor
 * results, a bot's replies) always books the next free slot; `bulk` (broadcasts) only takes slots
 * nobody transactional wants, so a receipt overtakes a running broadcast.
 */
export type SendLane = 'transactional' | 'bulk';

export interface SendRates {
  /** Messages per second for the whole token, all processes together. Telegram: ~30; default 25. */
  globalPerSecond: number;
  /** Messages per second to one private chat. Telegram: ~1. */
  chatPerSecond: number;
  /** Back-to-back messages a private chat may get before its rate applies (Telegram tolerates short bursts). Default 3. */
  chatBurst?: number;
  /** Messages per minute to one group or forum (negative chat id). Telegram: 20. */
  groupPerMinute?: number;
  /** Messages per second with `allow_paid_broadcast` beyond the free rate. Telegram: up to 1000. */
  paidPerSecond: number;
  /** How far ahead (ms) a bulk send may book a slot; a transactional send waits at most about this for bulk. Default 200. */
  bulkAheadMs?: number;
}

export interface SendSlot {
  /** The send used a paid-broadcast slot (0.1 Star). */
  paid: boolean;
  /** How long it waited for its slot (ms). */
  waitedMs: number;
}

export interface AcquireOptions {
  lane: SendLane;
  /** The send carries `allow_paid_broadcast`: it may use paid slots beyond the free rate. */
  paid?: boolean;
  signal?: AbortSignal;
}

export interface SendLimiter {
  /**
   * Waits for a slot to send one message as `botId` to `chatId` and books it. Shared by every
   * process using the same Redis and prefix. Fails open (logged) when Redis does not answer:
   * Telegram's own 429 and auto-retry are the fallback.
   */
  acquire(botId: number, chatId: number | string, options: AcquireOptions): Promise<SendSlot>;
  /** Telegram answered 429: every sender of this token waits `retryAfterSeconds`. */
  pause(botId: number, retryAfterSeconds: number): Promise<void>;
}

/** The limiter's rates from the environment (`sendLimitSchema` of `@vpn/config`). */
export function sendRatesFromConfig(config: {
  TELEGRAM_GLOBAL_RATE: number;
  TELEGRAM_CHAT_RATE: number;
  TELEGRAM_PAID_BROADCAST_RATE: number;
}): SendRates {
  return {
    globalPerSecond: config.TELEGRAM_GLOBAL_RATE,
    chatPerSecond: config.TELEGRAM_CHAT_RATE,
    paidPerSecond: config.TELEGRAM_PAID_BROADCAST_RATE,
  };
}

const GCRA_COMMAND = 'vpnSendSlot';
const PAUSE_COMMAND = 'vpnSendPause';

type Commands = {
  [GCRA_COMMAND]: (...args: (string | number)[]) => Promise<[number, number, number]>;
  [PAUSE_COMMAND]: (key: string, us: number) => Promise<number>;
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** A bulk sender refused a slot asks again after the hinted wait, at most this long (a transactional backlog may clear sooner). */
const BULK_RECHECK_MAX_MS = 250;

/**
 * The per-token send limiter in Redis, keyed `<prefix>tg:<botId>:…` (the bot id, never the
 * token). See {@link GCRA_SCRIPT} for the algorithm.
 */
export function createSendLimiter(redis: Redis, prefix: string, rates: SendRates, logger?: Logger): SendLimiter {
  if (!(GCRA_COMMAND in redis)) redis.defineCommand(GCRA_COMMAND, { numberOfKeys: 4, lua: GCRA_SCRIPT });
  if (!(PAUSE_COMMAND in redis)) redis.defineCommand(PAUSE_COMMAND, { numberOfKeys: 1, lua: PAUSE_SCRIPT });
  const commands = redis as unknown as Commands;
  const us = (perSecond: number) => Math.round(1_000_000 / perSecond);
  const globalI = us(rates.globalPerSecond);
  const privateI = us(rates.chatPerSecond);
  const privateTol = ((rates.chatBurst ?? 3) - 1) * privateI;
  const groupI = us((rates.groupPerMinute ?? 20) / 60);
  const paidI = us(rates.paidPerSecond);
  const aheadUs = (rates.bulkAheadMs ?? 200) * 1_000;
  const key = (botId: number, part: string) => `${prefix}tg:${botId}:${part}`;
  const paused = async (botId: number) => {
    try {
      return (await redis.exists(key(botId, 'pause'))) === 1;
    } catch {
      return false;
    }
  };

  return {
    async acquire(botId, chatId, options) {
      const started = Date.now();
      const group = typeof chatId === 'string' || chatId < 0;
      const args = [
        key(botId, 'g'),
        key(botId, `c:${chatId}`),
        key(botId, 'pause'),
        key(botId, 'p'),
        globalI,
        0,
        group ? groupI : privateI,
        group ? 0 : privateTol,
        options.lane === 'bulk' ? 'b' : 't',
        aheadUs,
        options.paid ? '1' : '0',
        paidI,
      ];
      for (;;) {
        let answer: [number, number, number];
        try {
          answer = await commands[GCRA_COMMAND](...args);
        } catch (err) {
          logger?.warn({ err, bot_id: botId }, 'send limiter unavailable, sending without it');
          return { paid: false, waitedMs: Date.now() - started };
        }
        const [granted, waitUs, paid] = answer;
        if (granted === 1) {
          if (waitUs <= 0) return { paid: paid === 1, waitedMs: Date.now() - started };
          await sleep(Math.ceil(waitUs / 1_000), options.signal);
          // A 429 met by another sender while this one slept: its slot is void, book again.
          if (!(await paused(botId))) return { paid: paid === 1, waitedMs: Date.now() - started };
          continue;
        }
        if (options.signal?.aborted) return { paid: false, waitedMs: Date.now() - started };
        await sleep(Math.min(BULK_RECHECK_MAX_MS, Math.max(5, Math.ceil(waitUs / 1_000 - (rates.bulkAheadMs ?? 200)))), options.signal);
      }
    },
    async pause(botId, retryAfterSeconds) {
      try {
        await commands[PAUSE_COMMAND](key(botId, 'pause'), Math.round(retryAfterSeconds * 1_000_000));
      } catch (err) {
        logger?.warn({ err, bot_id: botId }, 'send limiter unavailable, pause not shared');
      }
    },
  };
}
