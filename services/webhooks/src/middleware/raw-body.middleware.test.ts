import { request } from 'node:http';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@vpn/logger';
import type { AppState } from '../context.js';
import { serve, type Served } from '../testing/serve.js';
import { errorMiddleware } from './error.middleware.js';
import { rawBodyMiddleware } from './raw-body.middleware.js';

// One behaviour: the body reaches the handler as the exact bytes sent, and never beyond the limit.
const LIMIT = 1_024;
const app = new Koa<AppState>();
app.silent = true;
app.use(errorMiddleware(silentLogger()));
app.use(rawBodyMiddleware(LIMIT));
app.use(async (ctx) => {
  ctx.body = { hex: ctx.state.rawBody?.toString('hex'), length: ctx.state.rawBody?.length };
});

let served: Served;
beforeAll(async () => {
  served = await serve(app);
});
afterAll(() => served.close());

/** Sends a body in chunks without Content-Length (chunked), as a client hiding its size would. */
function sendChunked(chunks: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${served.url}/`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('raw body middleware', () => {
  it('keeps the exact bytes, including whitespace and non-UTF-8 bytes', async () => {
    const body = Buffer.concat([Buffer.from('{ "a" :  1 ,\n"b":"é"}'), Buffer.from([0xff, 0x00])]);
    const res = await fetch(served.url, { method: 'POST', body });
    expect(await res.json()).toEqual({ hex: body.toString('hex'), length: body.length });
  });

  it('refuses a declared oversize body with 413', async () => {
    const res = await fetch(served.url, { method: 'POST', body: Buffer.alloc(LIMIT + 1, 0x61) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('refuses an oversize chunked body with 413 while streaming', async () => {
    expect(await sendChunked([Buffer.alloc(600, 0x61), Buffer.alloc(600, 0x62)])).toBe(413);
  });

  it('accepts a body of exactly the limit', async () => {
    const res = await fetch(served.url, { method: 'POST', body: Buffer.alloc(LIMIT, 0x61) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { length: number }).length).toBe(LIMIT);
  });
});
