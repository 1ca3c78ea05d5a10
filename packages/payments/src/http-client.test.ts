import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@vpn/logger';
import { codeForStatus, createHttpClient } from './http-client.js';
import { PaymentError } from './provider.js';
import { startHttpServer, type RunningServer } from './testing/index.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startHttpServer(async (req) => {
    if (req.path === '/slow') await new Promise((resolve) => setTimeout(resolve, 500));
    return {
      status: req.path === '/missing' ? 404 : 200,
      body: { path: req.path, auth: req.headers.authorization ?? null, body: req.rawBody.toString() },
    };
  });
});

afterAll(() => server.close());

describe('createHttpClient', () => {
  const client = (timeoutMs = 2_000) =>
    createHttpClient({ provider: 'wata', baseUrl: server.url, timeoutMs, logger: silentLogger(), headers: { authorization: 'Bearer t' } });

  it('sends the exact body and headers and returns status and JSON', async () => {
    const response = await client().request({ method: 'POST', path: '/x', body: '{"amount":1.50}' });
    expect(response).toMatchObject({ status: 200, json: { path: '/x', auth: 'Bearer t', body: '{"amount":1.50}' } });
    expect((await client().request({ method: 'GET', path: '/missing' })).status).toBe(404);
  });

  it('aborts a call that takes longer than the timeout', async () => {
    const error = await client(100)
      .request({ method: 'GET', path: '/slow' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('reports a refused connection as unreachable', async () => {
    const dead = await startHttpServer(() => ({ status: 200 }));
    await dead.close();
    const error = await createHttpClient({ provider: 'wata', baseUrl: dead.url, timeoutMs: 1000, logger: silentLogger() })
      .request({ method: 'GET', path: '/' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unreachable', retryable: true });
  });

  it.each([
    [401, 'not_configured'],
    [403, 'rejected'],
    [400, 'rejected'],
    [404, 'not_found'],
    [202, 'unreachable'],
    [429, 'unreachable'],
    [503, 'unreachable'],
  ])('maps HTTP %i to %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});
