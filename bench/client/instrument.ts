/**
 * What a bench child process reports to the runner over IPC: every update's handling time (as
 * `bot.handleUpdate` sees it, API calls to the emulator included), updates handled, and resident
 * memory (sampled every 50 ms, so the peak under load is seen).
 */
import type { Bot, Context } from 'grammy';

export interface ChildStats {
  handled: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssNowMb: number;
  rssPeakMb: number;
  heapUsedMb: number;
}

export type RunnerMessage = { type: 'stats'; reset?: boolean };
export type ChildMessage = { type: 'ready' } | { type: 'stats'; stats: ChildStats };

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Wraps `bot.handleUpdate` with a timer and answers the runner's `stats` requests. */
export function instrument<C extends Context>(bot: Bot<C>): { ready(): void } {
  let durations: number[] = [];
  let failed = 0;
  let rssPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 50);
  sampler.unref();

  const handle = bot.handleUpdate.bind(bot);
  bot.handleUpdate = async (...args) => {
    const started = performance.now();
    try {
      await handle(...args);
    } catch (err) {
      failed++;
      throw err;
    } finally {
      durations.push(performance.now() - started);
    }
  };

  process.on('message', (message: RunnerMessage) => {
    if (message.type !== 'stats') return;
    const sorted = [...durations].sort((a, b) => a - b);
    const memory = process.memoryUsage();
    const stats: ChildStats = {
      handled: sorted.length,
      failed,
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
      maxMs: Math.round((sorted.at(-1) ?? 0) * 10) / 10,
      rssNowMb: mb(memory.rss),
      rssPeakMb: mb(Math.max(rssPeak, memory.rss)),
      heapUsedMb: mb(memory.heapUsed),
    };
    if (message.reset) {
      durations = [];
      failed = 0;
      rssPeak = memory.rss;
    }
    process.send?.({ type: 'stats', stats } satisfies ChildMessage);
  });
  return { ready: () => process.send?.({ type: 'ready' } satisfies ChildMessage) };
}
