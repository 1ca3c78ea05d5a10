import type { AppMiddleware } from '../context.js';

/**
 * Reads the request body into `ctx.state.rawBody` as the exact bytes received, refusing more than
 * `limitBytes` with 413 (checked against Content-Length first, then while streaming, so a lying
 * or absent header cannot make us buffer more). Signatures are verified over these bytes.
 */
export function rawBodyMiddleware(limitBytes: number): AppMiddleware {
  return async (ctx, next) => {
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limitBytes) ctx.throw(413, `body over ${limitBytes} bytes`, { code: 'payload_too_large' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limitBytes) {
        // Stop reading; the connection is closed after the 413 so the rest is never buffered.
        ctx.req.unpipe();
        ctx.set('Connection', 'close');
        ctx.throw(413, `body over ${limitBytes} bytes`, { code: 'payload_too_large' });
      }
      chunks.push(chunk);
    }
    ctx.state.rawBody = Buffer.concat(chunks, size);
    await next();
  };
}
