import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskSecrets } from './index.js';

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
    expect(out).toContain('[REDACTED]');
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
