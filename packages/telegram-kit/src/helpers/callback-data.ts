/** Telegram's limit for `callback_data`, in bytes (UTF-8), not characters. */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** Thrown while building a keyboard whose callback data Telegram would reject (`BUTTON_DATA_INVALID`). */
export class CallbackDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackDataError';
  }
}

const SEPARATOR = ':';

/**
 * Asserts `data` fits Telegram's 64-byte `callback_data` limit and returns it; throws a clear
 * error when the keyboard is built instead of a `BUTTON_DATA_INVALID` from Telegram later.
 */
export function assertCallbackData(data: string): string {
  const bytes = Buffer.byteLength(data, 'utf8');
  if (data.length === 0) throw new CallbackDataError('callback data must not be empty');
  if (bytes > CALLBACK_DATA_MAX_BYTES) {
    throw new CallbackDataError(`callback data "${data}" is ${bytes} bytes; Telegram allows ${CALLBACK_DATA_MAX_BYTES} (use short ids)`);
  }
  return data;
}

export interface CallbackDataCodec<F extends string> {
  /** `prefix:v1:v2…`, checked against the 64-byte limit. */
  pack(values: Record<F, string | number>): string;
  /** The values of data made by `pack`, or `undefined` for anything else. */
  unpack(data: string): Record<F, string> | undefined;
  /** Matches this codec's data: `bot.callbackQuery(codec.filter, …)`. */
  readonly filter: RegExp;
}

/**
 * A typed callback-data format: `const plan = callbackData('pl', ['id', 'months'])`,
 * `plan.pack({ id: 3, months: 12 })` → `'pl:3:12'`. Values may not contain `:`; the packed string
 * must fit Telegram's 64-byte limit (asserted on every `pack`).
 */
export function callbackData<const F extends string>(prefix: string, fields: readonly F[]): CallbackDataCodec<F> {
  if (!/^[\w-]+$/.test(prefix)) throw new CallbackDataError(`callback data prefix "${prefix}" must be [A-Za-z0-9_-]+`);
  const escaped = prefix.replace(/-/g, '\\-');
  const filter = new RegExp(`^${escaped}(?:${SEPARATOR}[^${SEPARATOR}]*){${fields.length}}$`);
  return {
    filter,
    pack(values) {
      const parts = fields.map((field) => {
        const value = String(values[field]);
        if (value.includes(SEPARATOR)) throw new CallbackDataError(`callback data field "${field}" may not contain "${SEPARATOR}"`);
        return value;
      });
      return assertCallbackData([prefix, ...parts].join(SEPARATOR));
    },
    unpack(data) {
      if (!filter.test(data)) return undefined;
      const parts = data.split(SEPARATOR).slice(1);
      return Object.fromEntries(fields.map((field, i) => [field, parts[i] ?? ''])) as Record<F, string>;
    },
  };
}
