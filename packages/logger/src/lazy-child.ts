import type { Logger } from 'pino';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * A logger that behaves as `base.child(bindings())` but makes that child only when a line is
 * actually written at an enabled level (or a child of it is asked for). A pino child runs the
 * redaction paths over its bindings when it is made: about 9 KB of garbage and a measurable
 * share of the CPU per bot update or queue job (bench/client, bench/settlement), for the many
 * that log nothing, or only below the level.
 */
export function lazyChild(base: Logger, bindings: () => Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = () => (child ??= base.child(bindings()));
  const overrides: Record<string, unknown> = { child: (...args: Parameters<Logger['child']>) => real().child(...args) };
  for (const level of LEVELS) {
    overrides[level] = (...args: unknown[]) => {
      if (!base.isLevelEnabled(level)) return;
      real()[level](...(args as [string]));
    };
  }
  // Everything else (level, isLevelEnabled, the parent's bindings) is the base logger's.
  return Object.assign(Object.create(base) as Logger, overrides);
}
