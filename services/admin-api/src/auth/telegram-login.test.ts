import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkTelegramLogin, signTelegramLogin } from './telegram-login.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwx';
const now = new Date('2026-12-07T12:00:00Z');
const authDate = Math.floor(now.getTime() / 1000) - 60;

describe('Telegram Login Widget check', () => {
  it('accepts data signed as Telegram documents it (ordinal key order, SHA-256 of the token as key)', () => {
    const fields = {
      id: 42,
      first_name: 'Ann',
      last_name: 'Lee',
      username: 'ann',
      photo_url: 'https://t.me/i/userpic/320/a.jpg',
      auth_date: authDate,
    };
    // Computed independently of the module: keys sorted, key=value lines.
    const check = `auth_date=${authDate}\nfirst_name=Ann\nid=42\nlast_name=Lee\nphoto_url=https://t.me/i/userpic/320/a.jpg\nusername=ann`;
    const hash = createHmac('sha256', createHash('sha256').update(TOKEN).digest()).update(check).digest('hex');
    expect(checkTelegramLogin({ ...fields, hash }, TOKEN, now)).toEqual({ ok: true, telegramId: 42 });
    expect(signTelegramLogin(fields, TOKEN).hash).toBe(hash);
  });

  it('refuses another bot’s signature, an edited field, a missing hash and stale or future data', () => {
    const data = signTelegramLogin({ id: 42, first_name: 'Ann', auth_date: authDate }, TOKEN);
    expect(checkTelegramLogin(data, '999:other', now)).toEqual({ ok: false, reason: 'hash' });
    expect(checkTelegramLogin({ ...data, first_name: 'Bob' }, TOKEN, now)).toEqual({ ok: false, reason: 'hash' });
    const { hash: _hash, ...unsigned } = data;
    expect(checkTelegramLogin(unsigned, TOKEN, now)).toEqual({ ok: false, reason: 'malformed' });
    const old = signTelegramLogin({ id: 42, auth_date: authDate - 86_400 }, TOKEN);
    expect(checkTelegramLogin(old, TOKEN, now)).toEqual({ ok: false, reason: 'expired' });
    const future = signTelegramLogin({ id: 42, auth_date: authDate + 3_600 }, TOKEN);
    expect(checkTelegramLogin(future, TOKEN, now)).toEqual({ ok: false, reason: 'expired' });
    expect(checkTelegramLogin({ ...data, id: 'x' }, TOKEN, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});
