import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@vpn/logger';
import { isValidStarsForward, STARS_FORWARD_SIGNATURE_HEADER } from '@vpn/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpStarsForwarder } from './stars-forwarder.js';

const SECRET = 'forward-secret-of-the-test-0123';

describe('the Stars forwarder', () => {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end('{}');
    });
  });
  let baseUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const forwarder = () => createHttpStarsForwarder({ baseUrl, secret: SECRET, logger: silentLogger(), attempts: 3, backoffMs: 5 });

  it('sends the exact body with its HMAC and never the secret itself', async () => {
    received.length = 0;
    const message = { message_id: 1, date: 1, chat: { id: 7 }, successful_payment: { currency: 'XTR', total_amount: 150 } };
    expect(await forwarder().forward(message)).toBe('accepted');
    const [request] = received;
    expect(request!.body).toBe(JSON.stringify(message));
    expect(isValidStarsForward(SECRET, Buffer.from(request!.body), String(request!.headers[STARS_FORWARD_SIGNATURE_HEADER]))).toBe(true);
    expect(Object.values(request!.headers)).not.toContain(SECRET);
    expect(request!.headers['x-forward-secret']).toBeUndefined();
  });

  it('retries a 5xx, gives up on a 4xx, and reports failure after the last try', async () => {
    received.length = 0;
    answers.push(503);
    expect(await forwarder().forward({ n: 1 })).toBe('accepted');
    expect(received).toHaveLength(2);
    answers.push(401);
    expect(await forwarder().forward({ n: 2 })).toBe('rejected');
    expect(received).toHaveLength(3);
    answers.push(500, 500, 500);
    expect(await forwarder().forward({ n: 3 })).toBe('failed');
    expect(received).toHaveLength(6);
  });
});
