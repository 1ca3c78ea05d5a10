import Koa from 'koa';
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@vpn/logger';
import type { AppState } from '../context.js';
import { serve, type Served } from '../testing/serve.js';
import { errorMiddleware } from './error.middleware.js';
import { sharedSecretMiddleware } from './shared-secret.middleware.js';

// One behaviour: listed providers need the right X-Forward-Secret; others pass untouched.
const SECRET = 's'.repeat(32);
const app = new Koa<AppState>();
app.silent = true;
app.use(errorMiddleware(silentLogger()));
const router = new Router<AppState>();
router.post('/webhooks/:provider', sharedSecretMiddleware({ stars: SECRET, wata: undefined }), async (ctx) => {
  ctx.body = { passed: ctx.params.provider };
});
app.use(router.routes());

let served: Served;
beforeAll(async () => {
  served = await serve(app);
});
afterAll(() => served.close());

const post = (provider: string, secret?: string) =>
  fetch(`${served.url}/webhooks/${provider}`, { method: 'POST', body: '{}', headers: secret === undefined ? {} : { 'x-forward-secret': secret } });

describe('shared secret middleware', () => {
  it('lets the right secret through', async () => {
    const res = await post('stars', SECRET);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ passed: 'stars' });
  });

  it('answers 401 to a missing or wrong secret, including one of another length', async () => {
    for (const secret of [undefined, 'x'.repeat(32), `${SECRET}x`, '']) expect((await post('stars', secret)).status).toBe(401);
  });

  it('answers 404 for a listed provider whose secret is not configured', async () => {
    expect((await post('wata', 'anything')).status).toBe(404);
  });

  it('does not concern itself with providers it does not list', async () => {
    expect(await (await post('cryptopay')).json()).toEqual({ passed: 'cryptopay' });
  });
});
