/** The two shapes of load: as fast as the bot answers, and a steady rate below that. */

/** Walks `items` with `concurrency` customers at a time, each step waiting for the answer (closed loop); returns the updates sent. */
export async function closedLoop<T>(items: T[], concurrency: number, walk: (item: T) => Promise<number>): Promise<number> {
  let next = 0;
  let total = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        // Not `total += await …`: that reads `total` before the await and loses the others' counts.
        const sent = await walk(items[next++] as T);
        total += sent;
      }
    }),
  );
  return total;
}

/**
 * Starts one customer's journey every `1000 / customersPerSecond` ms whatever the bot does
 * (open loop), so the offered rate stays fixed and the latency measured is the bot's own, not
 * the queue a saturated run builds up (Little's law). Returns the updates sent.
 */
export async function pacedLoop<T>(items: T[], customersPerSecond: number, walk: (item: T) => Promise<number>): Promise<number> {
  const interval = 1000 / customersPerSecond;
  const started = performance.now();
  const journeys: Array<Promise<number>> = [];
  for (let i = 0; i < items.length; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    journeys.push(walk(items[i] as T));
  }
  return (await Promise.all(journeys)).reduce((a, b) => a + b, 0);
}
