import { PanelError, type PanelKind } from '../adapter.js';
import { deadlineRemainingMs } from './deadline.js';

/** One HTTP call as an adapter describes it; the client adds the base URL, timeout and encoding. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path relative to the base URL (`api/user/x` or `/api/user/x` — both resolve under the base path). */
  path: string;
  query?: Record<string, string | number | boolean | undefined | Array<string | number>>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded` (OAuth2 password form, 3x-ui login). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Overrides the client's default timeout for this call only. */
  timeoutMs?: number;
  /**
   * By default a 5xx answer throws a retryable PanelError. Set to false when the adapter wants to
   * read the 5xx body itself.
   */
  throwOn5xx?: boolean;
}

/** A received answer. The body is read eagerly so the connection is always released. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parses the body as JSON; throws PanelError 'bad_response' when it is not JSON. */
  json<T = unknown>(): T;
}

export interface HttpClientOptions {
  /** Panel origin plus base path, e.g. `https://panel.example.com:2053/Xy12AbCd/`. */
  baseUrl: string;
  /** Default per-call timeout. Every call has one: a hung panel must never hang a worker. */
  timeoutMs?: number;
  /** Which panel this talks to, carried into every PanelError for logs. */
  panel?: PanelKind;
  /** Headers sent on every call (e.g. Remnawave's mandatory X-Forwarded-* pair). */
  headers?: Record<string, string>;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** A small fetch-based client: timeout on every call, JSON/form bodies, transport errors as PanelError. */
export interface HttpClient {
  readonly baseUrl: string;
  request(req: HttpRequest): Promise<HttpResponse>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Joins the base URL (with its base path) and a relative path; never drops the base path. */
export function joinUrl(baseUrl: string, path: string, query?: HttpRequest['query']): URL {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = new URL(path.replace(/^\/+/, ''), base);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  return url;
}

/** Creates an {@link HttpClient}. Nothing is connected until the first request. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const panel = options.panel;

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const url = joinUrl(options.baseUrl, req.path, req.query);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const where = `${req.method} ${url.pathname}`;
    // Inside a deadline (provisioning under a row lock) the call gets only what is left of it.
    const left = deadlineRemainingMs();
    if (left !== undefined && left <= 0) throw new PanelError('timeout', `${where} not sent: the call's time budget is spent`, { panel });
    const timeoutMs = Math.max(1, Math.min(req.timeoutMs ?? defaultTimeout, left ?? Number.POSITIVE_INFINITY));
    let res: Response;
    let text: string;
    try {
      // Redirects are answers, not detours: 3x-ui answers an unauthenticated call with 307 and
      // Marzban a trailing slash with 307; following them would hide what happened.
      res = await doFetch(url, { method: req.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (cause) {
      throw transportError(cause, where, timeoutMs, panel);
    }
    if (res.status >= 500 && req.throwOn5xx !== false) {
      throw new PanelError('bad_response', `${where} answered ${res.status}: ${text.slice(0, 200)}`, {
        status: res.status,
        panel,
      });
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      json<T>(): T {
        try {
          return JSON.parse(text) as T;
        } catch (cause) {
          throw new PanelError('bad_response', `${where} answered ${res.status} with a non-JSON body: ${text.slice(0, 200)}`, {
            status: res.status,
            panel,
            cause,
          });
        }
      },
    };
  }

  return { baseUrl: options.baseUrl, request };
}

/** A timeout is 'timeout'; anything else that kept an answer from arriving is 'unreachable'. Both retryable. */
function transportError(cause: unknown, where: string, timeoutMs: number, panel: PanelKind | undefined): PanelError {
  const name = cause instanceof Error ? cause.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new PanelError('timeout', `${where} timed out after ${timeoutMs} ms`, { panel, cause });
  }
  const detail = cause instanceof Error ? describeCause(cause) : String(cause);
  return new PanelError('unreachable', `${where} failed: ${detail}`, { panel, cause });
}

/** undici hides the useful part (ECONNREFUSED, socket hang up) in `cause`. */
function describeCause(error: Error): string {
  const inner = (error as { cause?: unknown }).cause;
  if (inner instanceof Error) return `${error.message} (${inner.message})`;
  return error.message;
}
