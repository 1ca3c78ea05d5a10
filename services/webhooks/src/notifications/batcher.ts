/**
 * Groups the calls made in one turn of the event loop into one call of `flush`, and hands each
 * caller its own result. Under load the requests that arrive together share one database
 * statement and one Redis round trip; alone, a call waits for nothing but `setImmediate`.
 * `flush` returns one result per item, in order; if it throws, every caller of that batch gets
 * the error (and, for a webhook, answers 500 so the provider delivers again).
 */
export function createBatcher<I, O>(flush: (items: I[]) => Promise<O[]>, options: { maxBatch?: number } = {}): (item: I) => Promise<O> {
  const maxBatch = options.maxBatch ?? 100;
  let pending: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  let scheduled = false;

  const run = () => {
    scheduled = false;
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(maxBatch);
      flush(batch.map((b) => b.item))
        .then((results) => {
          if (results.length !== batch.length) throw new Error(`batch flush returned ${results.length} results for ${batch.length} items`);
          batch.forEach((b, i) => b.resolve(results[i] as O));
        })
        .catch((err: unknown) => {
          for (const b of batch) b.reject(err);
        });
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(run);
      }
    });
}
