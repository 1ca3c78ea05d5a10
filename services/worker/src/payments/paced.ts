/** How hard one provider may be read: calls at once, and calls a second. */
export interface ProviderPace {
  concurrency: number;
  perSecond: number;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * Reads providers as fast as each allows and no faster: with 16 k payments a day at a real
 * provider's 100–300 ms a read, one at a time is 27–80 minutes; ten at once is a few minutes.
 * Each provider has its own `concurrency` slots and its own spacing of `1 / perSecond` between
 * starts, shared by every caller of this pacer, so a slow or strict provider never holds up the
 * others, none sees more than its rate from us, and callers may hand work over before earlier
 * work is done (the next page while this one is read) without exceeding either bound.
 */
export function createProviderPacer(paceOf: (provider: string) => ProviderPace, clock: PacerClock = realClock) {
  const lanes = new Map<string, { pace: ProviderPace; active: number; waiting: Array<() => void>; nextStart: number }>();
  const laneOf = (provider: string) => {
    let lane = lanes.get(provider);
    if (!lane) {
      lane = { pace: paceOf(provider), active: 0, waiting: [], nextStart: 0 };
      lanes.set(provider, lane);
    }
    return lane;
  };

  /** Runs `fn` within `provider`'s concurrency and rate. */
  async function run<T>(provider: string, fn: () => Promise<T>): Promise<T> {
    const lane = laneOf(provider);
    if (lane.active >= lane.pace.concurrency) await new Promise<void>((resolve) => lane.waiting.push(resolve));
    else lane.active++;
    try {
      // Reserve the next start this provider's rate allows, then wait for it.
      const at = Math.max(clock.now(), lane.nextStart);
      lane.nextStart = at + 1000 / lane.pace.perSecond;
      const wait = at - clock.now();
      if (wait > 0) await clock.sleep(wait);
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = lane.waiting.shift();
      if (next) next();
      else lane.active--;
    }
  }

  return {
    run,
    /** Runs `fn` for every item at its provider's pace, providers side by side; `fn` handles its own errors. */
    async forEach<T>(items: readonly T[], providerOf: (item: T) => string, fn: (item: T) => Promise<void>): Promise<void> {
      await Promise.all(items.map((item) => run(providerOf(item), () => fn(item))));
    },
  };
}

/**
 * What we allow ourselves per provider. The providers publish no firm limits for status reads
 * (YooKassa answers 429 beyond its own; WATA's spec guesses one read per object per 30 s, which
 * a once-a-day read of each payment respects); these stay well inside what a shop is served,
 * and at 200 ms a read give 40 reads a second per provider: 16 k reads in minutes, not an hour.
 * Telegram Stars has no read by id: each read scans the bot's Star transactions (up to 20 Bot
 * API pages), calls the client bot also needs, so it gets a smaller share.
 */
export function providerPace(provider: string): ProviderPace {
  if (provider === 'stars') return { concurrency: 3, perSecond: 10 };
  return { concurrency: 10, perSecond: 40 };
}
