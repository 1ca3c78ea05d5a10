import { metrics } from '@vpn/metrics';
import type { Context, MiddlewareFn } from 'grammy';

/** Distinct feature labels kept per process; beyond it updates count as `other` (bounded series). */
const MAX_FEATURES = 100;
const seen = new Set<string>();

const bounded = (feature: string): string => {
  if (seen.has(feature)) return feature;
  if (seen.size >= MAX_FEATURES) return 'other';
  seen.add(feature);
  return feature;
};

/**
 * The feature an update is for, as a metric label: a command (`/buy` → `cmd:buy`), a button family
 * (the callback data's leading word: a menu id or a codec prefix, `cb:pay`), else the update kind
 * (`message`, `pre_checkout_query`, ...). Callback data comes from the client and can be forged,
 * so only a short leading word is kept and the set of values is capped.
 */
export function featureOf(ctx: Context): string {
  const data = ctx.callbackQuery?.data;
  if (data !== undefined) return bounded(`cb:${/^[a-z][a-z0-9_-]{0,23}/i.exec(data)?.[0] ?? '?'}`);
  const text = ctx.message?.text;
  if (text?.startsWith('/')) {
    const command = /^\/([a-z0-9_]{1,32})/i.exec(text)?.[1];
    if (command) return bounded(`cmd:${command.toLowerCase()}`);
  }
  return Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'unknown';
}

/**
 * Counts and times every update by bot and feature (`bot_updates_total`,
 * `bot_update_duration_seconds`). Sits outside the error boundary; `failed` is the set the
 * boundary's handler adds a failing update's context to, so the outcome says `error`.
 */
export function updateMetricsMiddleware<C extends Context>(failed: WeakSet<object>): MiddlewareFn<C> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    let threw = false;
    try {
      await next();
    } catch (err) {
      threw = true;
      throw err;
    } finally {
      const labels = { bot: ctx.me.username, feature: featureOf(ctx) };
      metrics.botUpdates.inc({ ...labels, outcome: threw || failed.has(ctx) ? 'error' : 'ok' });
      metrics.botUpdateDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
