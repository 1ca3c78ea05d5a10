import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../context.js';
import { recordingLogger, serve, type Served } from '../testing/serve.js';
import { errorMiddleware } from './error.middleware.js';

// One behaviour: errors thrown downstream become a response and exactly one log line, and
// internals never reach the caller.
const { logger, lines } = recordingLogger();
const app = new Koa<AppState>();
app.silent = true;
app.use(errorMiddleware(logger));
app.use(async (ctx) => {
  if (ctx.path === '/teapot') ctx.throw(418, 'short and stout', { code: 'teapot' });
  if (ctx.path === '/hidden') ctx.throw(400, 'secret detail', { expose: false });
  if (ctx.path === '/boom') throw new Error('SELECT * FROM payments failed: password=hunter2');
  ctx.body = { ok: true };
});

let served: Served;
beforeAll(async () => {
  served = await serve(app);
});
afterAll(() => served.close());

describe('error middleware', () => {
  it('turns a thrown HTTP error into its status, code and message, logged once as a warning', async () => {
    lines.length = 0;
    const res = await fetch(`${served.url}/teapot`);
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ error: 'teapot', message: 'short and stout' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, status: 418, code: 'teapot', msg: 'request rejected' });
  });

  it('keeps a non-exposable client error message out of the response', async () => {
    const res = await fetch(`${served.url}/hidden`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_request' });
  });

  it('answers an unexpected error with a bare 500 and logs the details', async () => {
    lines.length = 0;
    const res = await fetch(`${served.url}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'internal' });
    expect(text).not.toContain('SELECT');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, status: 500, msg: 'request failed' });
    expect(JSON.stringify(lines[0])).toContain('SELECT * FROM payments');
  });

  it('leaves successful responses alone', async () => {
    const res = await fetch(`${served.url}/fine`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
