import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as an emulator sees it: the raw body is kept so signatures can be checked. */
export interface EmulatorRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  ip: string;
}

export interface EmulatorResponse {
  status: number;
  /** Serialised as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  contentType?: string;
}

export type EmulatorHandler = (req: EmulatorRequest) => Promise<EmulatorResponse> | EmulatorResponse;

export interface RunningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a plain node:http server for an emulator on 127.0.0.1 and a random port (port 0 by
 * default). A handler that throws answers 500 with the message, so a bug in an emulator shows up
 * in the test that hit it rather than as a hung request.
 */
export async function startHttpServer(
  handler: EmulatorHandler,
  /** `clock`: the server's own time (ms), sent in the `Date` header of every answer (default: this machine's). */
  options: { port?: number; host?: string; clock?: () => number } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const request: EmulatorRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
        ip: req.socket.remoteAddress ?? '',
      };
      Promise.resolve()
        .then(() => handler(request))
        .catch((error: unknown): EmulatorResponse => ({
          status: 500,
          body: { emulatorError: error instanceof Error ? error.message : String(error) },
        }))
        .then(
          (response) => {
            const text = response.text ?? (response.body === undefined ? '' : JSON.stringify(response.body));
            const contentType =
              response.contentType ?? (response.text === undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
            res.writeHead(response.status, {
              'content-type': contentType,
              'content-length': Buffer.byteLength(text),
              ...(options.clock ? { date: new Date(options.clock()).toUTCString() } : {}),
            });
            res.end(text);
          },
          () => res.destroy(),
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request body as JSON, or undefined if it is not JSON. */
export function jsonBody(req: EmulatorRequest): unknown {
  try {
    return JSON.parse(req.rawBody.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A header's first value. */
export function header(req: EmulatorRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
