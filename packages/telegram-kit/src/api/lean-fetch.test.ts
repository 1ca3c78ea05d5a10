import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanFetch } from './lean-fetch.js';

interface Seen {
  method?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('leanFetch', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2_000);
        if (req.url === '/garbage') return void res.end('<html>');
        res.writeHead(req.url === '/refused' ? 400 : 200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            req.url === '/refused'
              ? { ok: false, error_code: 400, description: 'Bad Request: chat not found' }
              : { ok: true, result: 'привет' },
          ),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts a JSON body with its byte length and reads the JSON answer', async () => {
    const body = JSON.stringify({ text: 'ёж' });
    const res = await leanFetch(`${base}/ok`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res).toMatchObject({ ok: true, status: 200 });
    expect(await res.json()).toEqual({ ok: true, result: 'привет' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body, headers: { 'content-length': String(Buffer.byteLength(body)) } });
  });

  it('resolves a refusal like fetch does, with Telegram’s error in the body', async () => {
    const res = await leanFetch(`${base}/refused`, { method: 'POST', body: '{}' });
    expect(res).toMatchObject({ ok: false, status: 400 });
    expect(await res.json()).toMatchObject({ description: 'Bad Request: chat not found' });
  });

  it('pipes a stream body (an upload) chunked', async () => {
    const res = await leanFetch(`${base}/ok`, {
      method: 'POST',
      body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]),
    });
    expect(res.ok).toBe(true);
    expect(seen.at(-1)).toMatchObject({ body: 'part one, part two', headers: { 'transfer-encoding': 'chunked' } });
  });

  it('fails on an answer that is not JSON, and on a refused connection', async () => {
    await expect((await leanFetch(`${base}/garbage`, { method: 'POST', body: '{}' })).json()).rejects.toThrow(SyntaxError);
    await expect(leanFetch('http://127.0.0.1:9/none', { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('stops when its signal aborts, before or during the call', async () => {
    const before = new AbortController();
    before.abort();
    await expect(leanFetch(`${base}/ok`, { signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const during = new AbortController();
    const call = leanFetch(`${base}/slow`, { method: 'POST', body: '{}', signal: during.signal });
    setTimeout(() => during.abort(), 50);
    const started = Date.now();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
