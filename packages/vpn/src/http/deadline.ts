import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<number>();

/**
 * A time budget for every panel call made inside `fn` (and anything it awaits): each HTTP call's
 * timeout is cut to what is left, a call with nothing left is not sent, and a retry that would
 * sleep past it gives up at once. Carried by AsyncLocalStorage, so adapters, sessions and
 * retries need no extra argument. Nested deadlines: the earlier wins.
 */
export function withDeadline<T>(at: number, fn: () => Promise<T>): Promise<T> {
  const outer = current.getStore();
  return current.run(outer === undefined ? at : Math.min(outer, at), fn);
}

/** A runner that bounds every call it is given by ONE deadline, `budgetMs` from now. */
export function panelDeadline(budgetMs: number): <T>(fn: () => Promise<T>) => Promise<T> {
  const at = Date.now() + budgetMs;
  return (fn) => withDeadline(at, fn);
}

/** Milliseconds left before the current deadline (≤ 0 once passed); undefined outside one. */
export function deadlineRemainingMs(): number | undefined {
  const at = current.getStore();
  return at === undefined ? undefined : at - Date.now();
}
