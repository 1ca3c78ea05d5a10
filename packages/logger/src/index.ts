import pino, { type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line: bot tokens, provider keys, passwords, card data.
 * pino's redaction is path-based, so the common nestings (payloads, headers, config) are listed.
 */
export const REDACT_PATHS: string[] = [
  'token', '*.token', '*.*.token', 'botToken', '*.botToken',
  'password', '*.password', '*.*.password',
  'secret', '*.secret', 'secretKey', '*.secretKey', '*.*.secretKey', 'apiKey', '*.apiKey',
  'authorization', '*.authorization', '*.*.authorization', 'headers.authorization', 'req.headers.authorization',
  'headers.cookie', 'req.headers.cookie', '*.headers["crypto-pay-api-signature"]',
  'credentials', '*.credentials', '*.*.credentials',
  'card', '*.card', '*.*.card', 'card_number', '*.card_number', '*.*.card_number', 'cvc', '*.cvc',
  'ENCRYPTION_KEY', '*.ENCRYPTION_KEY', 'CLIENT_BOT_TOKEN', '*.CLIENT_BOT_TOKEN', 'SUPPORT_BOT_TOKEN',
  '*.SUPPORT_BOT_TOKEN', 'ADMIN_BOT_TOKEN', '*.ADMIN_BOT_TOKEN', 'YOOKASSA_SECRET_KEY', '*.YOOKASSA_SECRET_KEY',
  'CRYPTOPAY_TOKEN', '*.CRYPTOPAY_TOKEN', 'WATA_TOKEN', '*.WATA_TOKEN', 'STARS_FORWARD_SECRET',
  '*.STARS_FORWARD_SECRET', 'GO_LINK_SECRET', '*.GO_LINK_SECRET', 'DATABASE_URL', '*.DATABASE_URL',
];

/** Telegram bot tokens also appear inside URLs (`/bot<token>/method`): mask them in messages too. */
const TOKEN_IN_TEXT = /(?<!\d)\d{5,}:[A-Za-z0-9_-]{20,}/g;
export function maskSecrets(text: string): string {
  return text.replace(TOKEN_IN_TEXT, '[REDACTED]');
}

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
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    hooks: {
      // Masks tokens that slip into free text (error messages carrying request URLs).
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a)) as typeof args;
        method.apply(this, masked);
      },
    },
    formatters: {
      // Errors are serialized before this runs; mask tokens that rode in on a request URL.
      log(object) {
        const err = object.err;
        if (err instanceof Error) {
          const masked = new Error(maskSecrets(err.message));
          masked.name = err.name;
          masked.stack = err.stack === undefined ? undefined : maskSecrets(err.stack);
          return { ...object, err: masked };
        }
        return object;
      },
    },
  };
  if (prettyLogs({ NODE_ENV: options.nodeEnv, LOG_PRETTY: options.pretty })) {
    const prettyOptions = { colorize: !options.destination, translateTime: 'SYS:HH:MM:ss.l' };
    // To a given stream in-process (tests read it back); to stdout off the main thread.
    if (options.destination) return pino(config, pinoPretty({ ...prettyOptions, destination: options.destination, sync: true }));
    return pino({ ...config, transport: { target: 'pino-pretty', options: prettyOptions } });
  }
  if (options.destination) return pino(config, options.destination);
  return pino(config);
}

/** A logger that writes nothing: for tests and tools that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
