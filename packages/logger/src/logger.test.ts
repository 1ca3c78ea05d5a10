import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskSecrets, prettyLogs } from './index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('redacts tokens, passwords, keys and card data in objects', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    log.info({ token: '123:abc', config: { password: 'hunter2', secretKey: 'sk' }, payment: { card: '4111' } }, 'x');
    const out = lines.join('');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('123:abc');
    expect(out).not.toContain('4111');
    expect(out).not.toContain('"sk"');
    expect(JSON.parse(out)).toMatchObject({
      token: '[REDACTED]',
      config: { password: '[REDACTED]', secretKey: '[REDACTED]' },
      payment: { card: '[REDACTED]' },
      msg: 'x',
    });
  });

  it('redacts secret keys at any depth and in any case, without changing the logged objects', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    const payload = {
      request: { headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k1' }, body: { deep: { deeper: { privateKey: 'wg-private' } } } },
      list: [{ password: 'p1' }],
      ok: 1,
    };
    const before = JSON.stringify(payload);
    log.info(payload, 'request');
    expect(JSON.stringify(payload)).toBe(before);
    const out = lines.join('');
    for (const secret of ['Bearer abc', 'k1', 'wg-private', 'p1']) expect(out).not.toContain(secret);
    expect(JSON.parse(out)).toMatchObject({
      request: { headers: { Authorization: '[REDACTED]' }, body: { deep: { deeper: { privateKey: '[REDACTED]' } } } },
      list: [{ password: '[REDACTED]' }],
      ok: 1,
    });
  });

  it('redacts the fields an error carries and keeps its class, message and stack', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    class HttpFailure extends Error {
      config = { headers: { authorization: 'Basic c2VjcmV0' }, url: 'https://panel.example/api' };
    }
    const err = new HttpFailure('panel answered 500');
    log.error({ err }, 'panel call failed');
    const line = JSON.parse(lines.join('')) as {
      err: { type: string; message: string; stack: string; config: { headers: Record<string, string>; url: string } };
    };
    expect(line.err).toMatchObject({
      type: 'HttpFailure',
      message: 'panel answered 500',
      config: { headers: { authorization: '[REDACTED]' }, url: 'https://panel.example/api' },
    });
    expect(line.err.stack).toContain('panel answered 500');
    expect(err.config.headers.authorization).toBe('Basic c2VjcmV0');
  });

  it('redacts a child logger’s bindings', () => {
    const { lines, destination } = capture();
    createLogger({ name: 't', destination }).child({ token: '123:abc', requestId: 'r1' }).info('hi');
    expect(JSON.parse(lines.join(''))).toMatchObject({ token: '[REDACTED]', requestId: 'r1' });
  });

  it('masks bot tokens inside free text and error messages', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    const token = '1234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    log.error({ err: new Error(`fetch https://api.telegram.org/bot${token}/getMe failed`) }, `url /bot${token}/x`);
    const out = lines.join('');
    expect(out).not.toContain(token);
    expect(maskSecrets(`bot${token}`)).toBe('bot[REDACTED]');
  });
});

describe('access credentials in logs', () => {
  it('never writes a subscription URL, share link, /go token or WireGuard key, whether by key or in an error text', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    const sub = 'https://panel.example.com/sub/c2VjcmV0LXN1Yi10b2tlbg';
    const share = 'vless://0b6f-uuid@1.2.3.4:443?security=reality&pbk=KEY#me';
    const wg = '[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nAddress = 10.8.0.2/24';
    class GrammyLike extends Error {
      description = `Bad Request: inline keyboard button URL 'http://localhost:8080/go/SEALED-TOKEN' is invalid: Wrong HTTP URL`;
      payload = {
        chat_id: 1,
        text: `Your link: ${sub}`,
        reply_markup: { inline_keyboard: [[{ text: 'copy', copy_text: { text: sub } }]] },
      };
    }
    log.error({ err: new GrammyLike(`Call failed (400: ${share})`) }, 'send failed');
    log.info({ account: { subscriptionUrl: sub, links: [share] } }, 'synced');
    log.warn(`config ${wg}`);
    const out = lines.join('');
    for (const secret of ['c2VjcmV0LXN1Yi10b2tlbg', '0b6f-uuid', 'SEALED-TOKEN', 'yAnz5TF+lXXJte14tji3zlMNq'])
      expect(out).not.toContain(secret);
    expect(out).toContain('/go/[REDACTED]');
    expect(out).toContain('Wrong HTTP URL');
  });
});

describe('logger output format', () => {
  it('is pretty in development unless LOG_PRETTY=false, JSON everywhere else', () => {
    expect(prettyLogs({ NODE_ENV: 'development' })).toBe(true);
    expect(prettyLogs({ NODE_ENV: 'development', LOG_PRETTY: false })).toBe(false);
    expect(prettyLogs({ NODE_ENV: 'production' })).toBe(false);
    expect(prettyLogs({ NODE_ENV: 'test' })).toBe(false);
    expect(prettyLogs({ NODE_ENV: 'production', LOG_PRETTY: true })).toBe(true);
    expect(prettyLogs({})).toBe(false);
  });

  it('writes one JSON object per line in production', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'svc', nodeEnv: 'production', destination }).info({ orderId: 7 }, 'paid');
    expect(JSON.parse(lines.join(''))).toMatchObject({ name: 'svc', level: 30, msg: 'paid', orderId: 7 });
  });

  it('writes human-readable lines in development, still redacted', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'svc', nodeEnv: 'development', destination }).info({ orderId: 7, password: 'hunter2' }, 'paid');
    const out = lines.join('');
    expect(() => JSON.parse(out) as unknown).toThrow();
    expect(out).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO \(svc\/\d+\): paid\n/);
    expect(out).toContain('orderId: 7');
    expect(out).toContain('password: "[REDACTED]"');
    expect(out).not.toContain('hunter2');
  });

  it('keeps JSON in development when LOG_PRETTY=false', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'svc', nodeEnv: 'development', pretty: false, destination }).warn('careful');
    expect(JSON.parse(lines.join(''))).toMatchObject({ level: 40, msg: 'careful' });
  });
});
