/**
 * Runs tasks for the same key one after another within this process. wg-easy does not keep
 * client names unique, so two concurrent ensures of one key would both create; serialising them
 * per key prevents that here, and the duplicate clean-up in ensure covers other processes.
 */
export function createKeyLock() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withKey<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
