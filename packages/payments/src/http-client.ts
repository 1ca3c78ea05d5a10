import type { Logger } from '@vpn/logger';
import { PaymentError, type PaymentErrorCode, type ProviderName } from './provider.js';

/** Node's fetch, or a stand-in with the same shape. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpClientOptions {
  provider: ProviderName;
  /** No trailing slash: paths are appended as given. */
  baseUrl: string;
  /** Every call is aborted after this long, reading the body included. */
  timeoutMs: number;
  logger: Logger;
  fetch?: FetchLike;
  /** Headers sent on every call (auth). */
  headers?: Record<string, string>;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query, appended to the base URL. */
  path: string;
  /** An exact JSON text: built by the adapter so decimal amounts are written verbatim. */
  body?: string;
  headers?: Record<string, string>;
  /** Override the base URL (WATA's public key lives on a configurable URL). */
  url?: string;
}

export interface HttpResponse {
  status: number;
  /** The parsed JSON body, or undefined when the body was empty or not JSON. */
  json: unknown;
  text: string;
  /** The provider's clock, from the `Date` header (whole seconds), when it sent one. */
  date?: Date;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/**
 * A small JSON-over-HTTP client shared by the adapters: one timeout per call
 * (AbortSignal.timeout), and transport failures turned into PaymentError `timeout` or
 * `unreachable`. HTTP error statuses are returned, not thrown: each provider has its own envelope.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async request(req) {
      const url = req.url ?? `${options.baseUrl}${req.path}`;
      const started = performance.now();
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...req.headers };
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      try {
        const signal = AbortSignal.timeout(options.timeoutMs);
        const response = await doFetch(url, { method: req.method, headers, body: req.body, signal });
        const text = await response.text();
        options.logger.debug(
          {
            provider: options.provider,
            method: req.method,
            path: req.path,
            status: response.status,
            ms: Math.round(performance.now() - started),
          },
          'payment provider call',
        );
        const date = Date.parse(response.headers.get('date') ?? '');
        return { status: response.status, text, json: parseJson(text), ...(Number.isNaN(date) ? {} : { date: new Date(date) }) };
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        const code: PaymentErrorCode = timedOut ? 'timeout' : 'unreachable';
        options.logger.warn(
          { provider: options.provider, method: req.method, path: req.path, code, err: error },
          'payment provider call failed',
        );
        throw new PaymentError(
          code,
          `${options.provider} ${req.method} ${req.path}: ${timedOut ? `no answer within ${options.timeoutMs} ms` : 'connection failed'}`,
          {
            provider: options.provider,
            cause: error,
          },
        );
      }
    },
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The PaymentError code for an HTTP error status: credentials refused → `not_configured`,
 * unknown object → `not_found`, throttled / still processing / server error → `unreachable`
 * (retryable), any other refusal → `rejected`.
 */
export function codeForStatus(status: number): PaymentErrorCode {
  if (status === 401) return 'not_configured';
  if (status === 404) return 'not_found';
  if (status === 202 || status === 429 || status >= 500) return 'unreachable';
  return 'rejected';
}
