import pino, { type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger } from 'pino';
export { lazyChild } from './lazy-child.js';
export { CENSOR, redactSecrets, SECRET_KEYS } from './redact.js';
import { maskSecrets } from './mask.js';
import { redactSecrets } from './redact.js';
export { maskSecrets } from './mask.js';

/**
 * Pretty in development, JSON everywhere else (production, CI, log shippers): `LOG_PRETTY`
 * decides when set (LOG_PRETTY=false keeps JSON in development), otherwise NODE_ENV=development.
 */
export function prettyLogs(config: { NODE_ENV?: string | undefined; LOG_PRETTY?: boolean | undefined }): boolean {
  return config.LOG_PRETTY ?? config.NODE_ENV === 'development';
}

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Human-readable output for a terminal; JSON otherwise. Unset: decided by `nodeEnv` (see prettyLogs). */
  pretty?: boolean | undefined;
  /** The process's NODE_ENV: with `pretty` unset, `development` means pretty output. */
  nodeEnv?: string | undefined;
  /** Where to write; defaults to stdout. Tests pass a stream to read the lines back. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    hooks: {
      // Masks tokens that slip into free text (error messages carrying request URLs).
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a)) as typeof args;
        method.apply(this, masked);
      },
    },
    formatters: {
      // Runs before the serializers: secrets by key at any depth, then the tokens that rode in
      // on a request URL inside an error's message or stack.
      log(input) {
        const object = redactSecrets(input);
        const err = object.err;
        if (err instanceof Error) {
          const message = maskSecrets(err.message);
          const stack = err.stack === undefined ? undefined : maskSecrets(err.stack);
          if (message === err.message && stack === err.stack) return object;
          // A copy of the same class with its own fields, so the serializer writes it as it was.
          const masked = Object.create(Object.getPrototypeOf(err) as object, Object.getOwnPropertyDescriptors(err)) as Error;
          masked.message = message;
          masked.stack = stack;
          return { ...object, err: masked };
        }
        return object;
      },
    },
  };
  return redactingChildren(build(config, options));
}

function build(config: LoggerOptions, options: CreateLoggerOptions): Logger {
  if (prettyLogs({ NODE_ENV: options.nodeEnv, LOG_PRETTY: options.pretty })) {
    const prettyOptions = { colorize: !options.destination, translateTime: 'SYS:HH:MM:ss.l' };
    // To a given stream in-process (tests read it back); to stdout off the main thread.
    if (options.destination) return pino(config, pinoPretty({ ...prettyOptions, destination: options.destination, sync: true }));
    return pino({ ...config, transport: { target: 'pino-pretty', options: prettyOptions } });
  }
  if (options.destination) return pino(config, options.destination);
  return pino(config);
}

/**
 * A child's bindings go out on each of its lines, but pino runs no formatter over them: they are
 * redacted here, once, when the child is made. Children inherit this `child` from the root.
 */
function redactingChildren(root: Logger): Logger {
  // pino's own child(), from the prototype the root was made from.
  const { child } = Object.getPrototypeOf(root) as {
    child: (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
  };
  const redacting = function (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions): Logger {
    return child.call(this, redactSecrets(bindings), options);
  };
  root.child = redacting as unknown as Logger['child'];
  return root;
}

/** A logger that writes nothing: for tests and tools that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
