import { EmulatorTimeoutError, type Emulator, type EmulatorEvent } from '@vpn/telegram-emulator';

interface Waiter {
  after: number;
  match: (e: EmulatorEvent) => boolean;
  resolve: (e: EmulatorEvent) => void;
}

/**
 * The emulator's `EventLog.waitFor` looks for an already-logged event by scanning the whole log
 * from its start (up to 50 000 events) on every wait, which makes a long bench quadratic: the
 * load generator, not the bot, became the bottleneck. The log is in `seq` order, so here the scan
 * starts at the first event after the cursor (binary search); waiting for a future event is the
 * emulator's own mechanism (its waiter set, resolved by `emit`). Only the bench's emulator
 * instance is changed. (Reported for the emulator itself.)
 */
export function speedUpEmulatorWaits(emulator: Emulator): void {
  const log = emulator.world.events;
  const internals = log as unknown as { events: EmulatorEvent[]; waiters: Set<Waiter> };
  log.waitFor = (match, after, timeoutMs, what) => {
    const events = internals.events;
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((events[mid]?.seq ?? 0) <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < events.length; i++) {
      const event = events[i] as EmulatorEvent;
      if (match(event)) return Promise.resolve(event);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        after,
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        internals.waiters.delete(waiter);
        reject(new EmulatorTimeoutError(what, timeoutMs));
      }, timeoutMs);
      internals.waiters.add(waiter);
    });
  };
}

/** Counts the Bot API calls each bot makes, by method, from now on (the call log keeps only the last few thousand). */
export function countApiCalls(emulator: Emulator): { take(botId: number): Record<string, number> } {
  const counts = new Map<number, Record<string, number>>();
  const calls = emulator.world.calls;
  const add = calls.add.bind(calls);
  calls.add = (call) => {
    const perBot = counts.get(call.botId) ?? {};
    perBot[call.method] = (perBot[call.method] ?? 0) + 1;
    perBot[`${call.method}:bytes`] = (perBot[`${call.method}:bytes`] ?? 0) + JSON.stringify(call.params).length;
    counts.set(call.botId, perBot);
    add(call);
  };
  return {
    take(botId) {
      const out = counts.get(botId) ?? {};
      counts.delete(botId);
      return out;
    },
  };
}
