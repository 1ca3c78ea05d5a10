import type { Context } from 'grammy';

const perUpdate = new WeakMap<Context, Map<string, Promise<unknown>>>();

/**
 * Runs `load` once per update and key: the text of a screen and its menu (rendered separately,
 * and again when a button is pressed) share one database read.
 */
export function once<T>(ctx: Context, key: string, load: () => Promise<T>): Promise<T> {
  let values = perUpdate.get(ctx);
  if (!values) {
    values = new Map();
    perUpdate.set(ctx, values);
  }
  let value = values.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    values.set(key, value);
  }
  return value;
}

/** Forgets what `once` remembered for this update (after a write the screen must show). */
export function forget(ctx: Context, key?: string): void {
  if (key === undefined) perUpdate.delete(ctx);
  else perUpdate.get(ctx)?.delete(key);
}
