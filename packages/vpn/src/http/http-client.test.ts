import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanelError } from '../adapter.js';
import { startEmulatorServer, parseBody, type EmulatorServer } from '../testing/emulator-server.js';
import { createHttpClient, joinUrl } from './http-client.js';

let server: EmulatorServer;

beforeAll(async () => {
  server = await startEmulatorServer({
    basePath: '/secret/',
    routes: [
      {
        method: 'POST',
        path: '/echo',
        handler: (req) => ({ status: 200, json: { type: req.headers['content-type'], body: parseBody(req) } }),
      },
      { method: 'GET', path: '/boom', handler: () => ({ status: 502, text: 'bad gateway' }) },
      { method: 'GET', path: '/plain', handler: () => ({ status: 200, text: 'not json' }) },
      { method: 'GET', path: '/item/:id', handler: (req) => ({ status: 200, json: { id: req.params.id, q: req.query.getAll('x') } }) },
    ],
  });
});
afterAll(async () => server.close());

async function failure(promise: Promise<unknown>): Promise<PanelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PanelError);
  return error as PanelError;
}

describe('createHttpClient', () => {
  it('keeps the base path and encodes query arrays', async () => {
    const client = createHttpClient({ baseUrl: server.url });
    const res = await client.request({ method: 'GET', path: '/item/a%20b', query: { x: [1, 2], skip: undefined } });
    expect(res.json()).toEqual({ id: 'a b', q: ['1', '2'] });
    expect(joinUrl('http://h/base', 'api/x').toString()).toBe('http://h/base/api/x');
  });

  it('sends JSON and form bodies with their content types', async () => {
    const client = createHttpClient({ baseUrl: server.url });
    const json = await client.request({ method: 'POST', path: 'echo', json: { a: 1 } });
    expect(json.json()).toEqual({ type: 'application/json', body: { a: 1 } });
    const form = await client.request({ method: 'POST', path: 'echo', form: { username: 'u', password: 'p w' } });
    expect(form.json()).toEqual({ type: 'application/x-www-form-urlencoded', body: { username: 'u', password: 'p w' } });
  });

  it('maps a 5xx to a retryable error unless asked not to', async () => {
    const client = createHttpClient({ baseUrl: server.url, panel: 'marzban' });
    const error = await failure(client.request({ method: 'GET', path: 'boom' }));
    expect(error.code).toBe('bad_response');
    expect(error.details).toMatchObject({ status: 502, panel: 'marzban' });
    expect(error.retryable).toBe(true);
    const res = await client.request({ method: 'GET', path: 'boom', throwOn5xx: false });
    expect(res.status).toBe(502);
  });

  it('reports a non-JSON body as bad_response', async () => {
    const res = await createHttpClient({ baseUrl: server.url }).request({ method: 'GET', path: 'plain' });
    expect(() => res.json()).toThrow(/non-JSON/);
  });

  it('times out every call, even one whose answer never comes', async () => {
    server.faults.dropResponseNext(1, { mode: 'hang' });
    const started = Date.now();
    const error = await failure(createHttpClient({ baseUrl: server.url, timeoutMs: 150 }).request({ method: 'GET', path: 'plain' }));
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('maps a reset connection and a closed port to unreachable', async () => {
    server.faults.dropResponseNext(1, { mode: 'reset' });
    const reset = await failure(createHttpClient({ baseUrl: server.url }).request({ method: 'GET', path: 'plain' }));
    expect(reset.code).toBe('unreachable');
    const closed = await failure(createHttpClient({ baseUrl: 'http://127.0.0.1:1' }).request({ method: 'GET', path: '/' }));
    expect(closed.code).toBe('unreachable');
    expect(closed.message).toMatch(/ECONNREFUSED|fetch failed/);
  });
});
