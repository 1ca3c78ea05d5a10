/**
 * The baseline: a bare Koa endpoint doing what any HTTP handler must (read the body, answer 200
 * with JSON) and nothing else. Run as its own process like the real service; prints its port.
 */
import Koa from 'koa';

const app = new Koa();
app.use(async (ctx) => {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) chunks.push(chunk);
  ctx.status = 200;
  ctx.body = { ok: true, bytes: Buffer.concat(chunks).length };
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'bare listening', port })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
