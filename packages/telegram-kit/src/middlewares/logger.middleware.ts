import type { Logger } from '@vpn/logger';
import type { Context, MiddlewareFn } from 'grammy';
import type { KitFlavor } from '../context.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * A logger that behaves as `base.child(bindings())` but makes that child only when a line is
 * actually written at an enabled level (or a child of it is asked for). A pino child runs the
 * redaction paths over its bindings when it is made: about 9 KB of garbage per update in
 * bench/client, for the many updates that log nothing or only below the level.
 */
function deferredChild(base: Logger, bindings: () => Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = () => (child ??= base.child(bindings()));
  const overrides: Record<string, unknown> = { child: (...args: Parameters<Logger['child']>) => real().child(...args) };
  for (const level of LEVELS) {
    overrides[level] = (...args: unknown[]) => {
      if (!base.isLevelEnabled(level)) return;
      real()[level](...(args as [string]));
    };
  }
  // Everything else (level, isLevelEnabled, bindings of the parent) is the base logger's.
  return Object.assign(Object.create(base) as Logger, overrides);
}

/**
 * Puts a logger on `ctx.logger` whose lines carry the update id, user id and chat id, and logs
 * how long the update took at debug level.
 */
export function loggerMiddleware<C extends Context & Pick<KitFlavor, 'logger'>>(logger: Logger): MiddlewareFn<C> {
  return async (ctx, next) => {
    ctx.logger = deferredChild(logger, () => ({ update_id: ctx.update.update_id, user_id: ctx.from?.id, chat_id: ctx.chat?.id }));
    if (!logger.isLevelEnabled('debug')) return next();
    const started = performance.now();
    await next();
    ctx.logger.debug({ ms: Math.round(performance.now() - started) }, 'update handled');
  };
}
