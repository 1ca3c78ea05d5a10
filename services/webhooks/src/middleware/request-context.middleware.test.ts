import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../context.js';
import { recordingLogger, serve, type Served } from '../testing/serve.js';
import { requestContextMiddleware } from './request-context.middleware.js';

// One behaviour: every request gets an id, echoed back and carried by its logger.
const { logger, lines } = recordingLogger();
const app = new Koa<AppState>();
app.use(requestContextMiddleware(logger));
app.use(async (ctx) => {
  ctx.state.log.info('handled');
  ctx.body = { id: ctx.state.requestId };
});

let served: Served;
beforeAll(async () => {
  served = await serve(app);
});
afterAll(() => served.close());

describe('request context middleware', () => {
  it('generates an id, returns it in X-Request-Id and puts it on every log line', async () => {
    lines.length = 0;
    const res = await fetch(served.url);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-request-id')).toBe(id);
    expect(lines).toEqual([expect.objectContaining({ requestId: id, msg: 'handled' })]);
  });

  it("keeps a proxy's sane request id and replaces one that could inject into logs", async () => {
    const kept = await fetch(served.url, { headers: { 'x-request-id': 'edge-1234abcd' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-1234abcd');
    const replaced = await fetch(served.url, { headers: { 'x-request-id': 'evil\tvalue with spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('evil');
  });
});
