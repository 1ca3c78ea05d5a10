import { describe, expect, it } from 'vitest';
import { telegramAcceptsButtonUrl } from './button-urls.js';

describe('telegramAcceptsButtonUrl', () => {
  it('refuses hosts without a dot, IPv6 literals and other schemes, as Telegram does', () => {
    for (const url of [
      'http://localhost:8080/go/x',
      'https://webhooks/go',
      'http://[::1]:80/',
      'ftp://a.example/x',
      'happ://add/x',
      'https://a./x',
      'not a url',
    ]) {
      expect(telegramAcceptsButtonUrl(url), url).toBe(false);
    }
    for (const url of [
      'https://vpn.example.com/go/x',
      'http://203.0.113.7:8080/x',
      'tg://resolve?domain=x',
      'https://t.me/share/url?url=a',
    ]) {
      expect(telegramAcceptsButtonUrl(url), url).toBe(true);
    }
  });
});
