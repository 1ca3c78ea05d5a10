/** How hard one provider may be read: calls at once, and calls a second. */
export interface ProviderPace {
  concurrency: number;
  perSecond: number;
}

/**
 * Reads providers as fast as each allows and no faster: with 16 k payments a day at a real
 * provider's 100–300 ms a read, one at a time is 27–80 minutes; 8 at once is a few minutes. Each
 * provider gets its own `concurrency` slots and its own spacing of `1 / perSecond` between
 * starts, so a slow or strict provider never holds up the others and none sees more than its
 * rate from us.
 */
export function createProviderPacer(
  paceOf: (provider: string) => ProviderPace,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
) {
  const nextStart = new Map<string, number>();
  /** The next start this provider's rate allows, reserved for the caller. */
  const slot = (provider: string, perSecond: number): number => {
    const at = Math.max(clock.now(), nextStart.get(provider) ?? 0);
    nextStart.set(provider, at + 1000 / perSecond);
    return at;
  };
  return {
    /**
     * Runs `fn` for every item, grouped by provider: each group with its own concurrency and rate,
     * the groups side by side. Resolves when all are done; `fn` handles its own errors.
     */
    async forEach<T>(items: readonly T[], providerOf: (item: T) => string, fn: (item: T) => Promise<void>): Promise<void> {
      const groups = new Map<string, T[]>();
      for (const item of items) {
        const key = providerOf(item);
        groups.set(key, [...(groups.get(key) ?? []), item]);
      }
      await Promise.all(
        [...groups].map(async ([provider, group]) => {
          const pace = paceOf(provider);
          let next = 0;
          const lane = async () => {
            while (next < group.length) {
              const item = group[next++] as T;
              const wait = slot(provider, pace.perSecond) - clock.now();
              if (wait > 0) await clock.sleep(wait);
              await fn(item);
            }
          };
          await Promise.all(Array.from({ length: Math.min(pace.concurrency, group.length) }, lane));
        }),
      );
    },
  };
}

/**
 * What we allow ourselves per provider. The providers publish no firm limits for status reads
 * (YooKassa answers 429 beyond its own; WATA's spec guesses one read per object per 30 s, which
 * a once-a-day read of each payment respects); these stay well inside what a shop is served,
 * and at 200 ms a read give 40 reads a second per provider: 16 k reads in minutes, not an hour.
 * Telegram Stars reads go through the Bot API, whose ~30 requests a second the bot's customers
 * need: it gets a small share.
 */
export function providerPace(provider: string): ProviderPace {
  if (provider === 'stars') return { concurrency: 2, perSecond: 5 };
  return { concurrency: 10, perSecond: 40 };
}
