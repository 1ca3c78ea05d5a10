/**
 * What a bench child process reports to the runner over IPC: every update's handling time (as
 * `bot.handleUpdate` sees it, API calls to the emulator included), updates handled, and resident
 * memory (sampled every 50 ms, so the peak under load is seen).
 */
import { getHeapSpaceStatistics } from 'node:v8';
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
  /** Where the memory was when RSS peaked: V8's spaces (committed), external and array buffers, MB. */
  atPeak: Record<string, number>;
  /** CPU time (user + system) this process spent per update handled since the last reset. */
  cpuMsPerUpdate: number;
  /** The part of it spent in the kernel (system calls: sockets, memory). */
  systemMsPerUpdate: number;
  /** SQL statements run (the client bot only), and the most frequent shapes. */
  queries: number;
  topQueries: Array<[string, number]>;
}

/** Counts SQL statements by shape (literals and numbers folded), for `composeClientBot`'s `onQuery`. */
export function queryCounter() {
  let counts = new Map<string, number>();
  return {
    record: (sql: string) => {
      const shape = sql
        .replace(/^Executed \([^)]*\): /, '')
        .replace(/'[^']*'/g, '?')
        .replace(/\b\d+\b/g, 'N')
        .slice(0, 160);
      counts.set(shape, (counts.get(shape) ?? 0) + 1);
    },
    take(reset: boolean): { queries: number; topQueries: Array<[string, number]> } {
      const all = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      if (reset) counts = new Map();
      return { queries: all.reduce((n, [, c]) => n + c, 0), topQueries: all.slice(0, 12) };
    },
  };
}

export type RunnerMessage = { type: 'stats'; reset?: boolean };
export type ChildMessage = { type: 'ready' } | { type: 'stats'; stats: ChildStats };

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Wraps `bot.handleUpdate` with a timer and answers the runner's `stats` requests. */
export function instrument<C extends Context>(bot: Bot<C>, queries?: ReturnType<typeof queryCounter>): { ready(): void } {
  let durations: number[] = [];
  let failed = 0;
  let rssPeak = process.memoryUsage.rss();
  let atPeak: Record<string, number> = {};
  const breakdown = (rss: number): Record<string, number> => {
    const memory = process.memoryUsage();
    const out: Record<string, number> = { rss: mb(rss), external: mb(memory.external), arrayBuffers: mb(memory.arrayBuffers) };
    for (const space of getHeapSpaceStatistics()) out[space.space_name] = mb(space.physical_space_size);
    return out;
  };
  let cpuFrom = process.cpuUsage();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > rssPeak) {
      rssPeak = rss;
      atPeak = breakdown(rss);
    }
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
    const cpu = process.cpuUsage(cpuFrom);
    const stats: ChildStats = {
      handled: sorted.length,
      failed,
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
      maxMs: Math.round((sorted.at(-1) ?? 0) * 10) / 10,
      rssNowMb: mb(memory.rss),
      rssPeakMb: mb(Math.max(rssPeak, memory.rss)),
      heapUsedMb: mb(memory.heapUsed),
      atPeak,
      cpuMsPerUpdate: sorted.length === 0 ? 0 : Math.round(((cpu.user + cpu.system) / 1000 / sorted.length) * 100) / 100,
      systemMsPerUpdate: sorted.length === 0 ? 0 : Math.round((cpu.system / 1000 / sorted.length) * 100) / 100,
      ...(queries?.take(message.reset ?? false) ?? { queries: 0, topQueries: [] }),
    };
    if (message.reset) {
      durations = [];
      failed = 0;
      rssPeak = memory.rss;
      atPeak = breakdown(memory.rss);
      cpuFrom = process.cpuUsage();
    }
    process.send?.({ type: 'stats', stats } satisfies ChildMessage);
  });
  return { ready: () => process.send?.({ type: 'ready' } satisfies ChildMessage) };
}
