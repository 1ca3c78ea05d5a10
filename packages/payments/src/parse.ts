import type { z } from 'zod';
import { PaymentError, type IncomingNotification, type PaymentErrorCode, type ProviderName } from './provider.js';

/** A header by name, case-insensitively; the first value when a header was repeated. */
export function headerValue(headers: IncomingNotification['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** The raw body as JSON, or PaymentError `malformed`. */
export function parseJsonBody(provider: ProviderName, rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch (error) {
    throw new PaymentError('malformed', `${provider} notification is not JSON`, { provider, cause: error });
  }
}

/**
 * Checks `value` against a zod schema; on failure throws PaymentError `code` (`malformed` by
 * default) naming the first offending field, so the log line says what was wrong.
 */
export function parseWith<S extends z.ZodType>(
  provider: ProviderName,
  schema: S,
  value: unknown,
  what: string,
  code: PaymentErrorCode = 'malformed',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new PaymentError(code, `${provider} ${what} has an unexpected shape${where}: ${issue?.message ?? 'invalid'}`, {
    provider,
    cause: result.error,
  });
}

/** Runs an amount conversion, turning its RangeError into PaymentError `code`. */
export function convertAmount<T>(provider: ProviderName, code: PaymentErrorCode, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new PaymentError(code, `${provider}: ${error.message}`, { provider, cause: error });
  }
}

/** A Date from an ISO string, or undefined for a missing or unparsable one. */
export function optionalDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
