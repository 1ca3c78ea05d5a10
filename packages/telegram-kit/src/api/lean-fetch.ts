import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** What grammY's `ApiClient` hands its `fetch`: a JSON string, or a multipart stream for uploads. */
export interface LeanFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Readable;
  /** grammY's own abort signal (the `abort-controller` polyfill in Node, or a native one). */
  signal?: {
    aborted: boolean;
    addEventListener(type: 'abort', listener: () => void): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  } | null;
  /** grammY's keep-alive agent for the API root. */
  agent?: Agent;
}

/** The part of a `Response` grammY reads: it only ever calls `json()`. */
export interface LeanResponse {
  ok: boolean;
  status: number;
  statusText: string;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

function abortError(): Error {
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}

/**
 * A minimal `fetch` for grammY's Bot API calls, straight on `node:http(s)` with grammY's
 * keep-alive agent. The default (`node-fetch` 2 with its Request, Headers and Body classes and an
 * event-target polyfill per call) was the largest allocator of a menu press in bench/client, and
 * grammY reads nothing of the response but its JSON. Uploads (a multipart stream) are piped as
 * chunked bodies, as `node-fetch` sends them. Non-2xx answers resolve like `fetch` does: Telegram
 * puts `ok: false` and the error in the JSON body.
 */
export function leanFetch(url: string | URL, init: LeanFetchInit = {}): Promise<LeanResponse> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const { body, signal } = init;
  return new Promise<LeanResponse>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const headers: Record<string, string | number> = { ...init.headers };
    if (typeof body === 'string') headers['content-length'] = Buffer.byteLength(body);
    const req = request(target, { method: init.method ?? 'GET', headers, agent: init.agent });
    const onAbort = () => req.destroy(abortError());
    signal?.addEventListener('abort', onAbort);
    const done = () => signal?.removeEventListener('abort', onAbort);
    req.once('error', (err) => {
      done();
      reject(err);
    });
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', (err) => {
        done();
        reject(err);
      });
      res.once('end', () => {
        done();
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          statusText: res.statusMessage ?? '',
          json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
          text: () => Promise.resolve(text),
        });
      });
    });
    if (body === undefined) req.end();
    else if (typeof body === 'string') req.end(body);
    else {
      body.once('error', (err) => req.destroy(err));
      body.pipe(req);
    }
  });
}
