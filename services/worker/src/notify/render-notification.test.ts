import { describe, expect, it } from 'vitest';
import { createI18n } from '@vpn/i18n';
import { formatAmount, formatDate, renderNotification } from './render-notification.js';

const i18n = createI18n();

describe('renderNotification', () => {
  it('formats amounts in minor units per currency and language, whole ones without a fraction', () => {
    expect(formatAmount(54_900, 'RUB', 'ru')).toMatch(/^549\s₽$/);
    expect(formatAmount(54_900, 'RUB', 'en')).toBe('₽549');
    expect(formatAmount(179_950, 'RUB', 'ru')).toMatch(/^1\s799,50\s₽$/);
    expect(formatAmount(250, 'XTR', 'en')).toBe('250 ⭐');
    expect(formatAmount(1_050, 'USD', 'en')).toBe('$10.50');
    const receipt = renderNotification(i18n, 'ru', 'payment_succeeded', {
      amountMinor: 54_900,
      currency: 'RUB',
      endsAt: '2030-03-01T12:00:00.000Z',
    });
    expect(receipt).toMatch(/549\s₽/);
    expect(receipt).not.toContain('549.00');
  });

  it("a renewal's receipt says the key keeps working; a first purchase's does not (its link follows)", () => {
    for (const lng of ['ru', 'en'] as const) {
      const params = { amountMinor: 54_900, currency: 'RUB', endsAt: '2030-03-01T12:00:00.000Z', days: 30 };
      const renewal = renderNotification(i18n, lng, 'payment_succeeded', { ...params, keyKept: true });
      const first = renderNotification(i18n, lng, 'payment_succeeded', { ...params, keyKept: false });
      expect(renewal).toMatch(lng === 'ru' ? /ключ продолжает работать/ : /key keeps working/);
      expect(first).not.toMatch(/ключ|key/);
    }
  });

  it('states a top-up and the balance after it', () => {
    const en = renderNotification(i18n, 'en', 'balance_topped_up', {
      paymentId: 'p',
      amountMinor: 50_000,
      currency: 'RUB',
      balanceMinor: 65_000,
    });
    expect(en).toBe('💰 Your balance was topped up by ₽500. Balance: ₽650.');
    expect(renderNotification(i18n, 'ru', 'balance_short', { amountMinor: 10_000, currency: 'RUB', balanceMinor: 10_000 })).toMatch(
      /100\s₽/,
    );
  });

  it('formats dates in Moscow time without a dangling year suffix', () => {
    expect(formatDate('2030-02-28T22:30:00.000Z', 'ru')).toBe('1 марта 2030');
    expect(formatDate('2030-02-28T22:30:00.000Z', 'en')).toBe('1 March 2030');
  });

  it('pluralises days and escapes values for HTML', () => {
    const ru = renderNotification(i18n, 'ru', 'expiry_reminder', { days: 2, endsAt: '2030-03-01T12:00:00.000Z' });
    expect(ru).toContain('через 2 дня');
    const en = renderNotification(i18n, 'en', 'subscription_ready', {
      link: 'https://x.example/sub?a=1&b=<2>',
      endsAt: '2030-03-01T12:00:00.000Z',
    });
    expect(en).toContain('<code>https://x.example/sub?a=1&amp;b=&lt;2&gt;</code>');
  });

  it('gives WireGuard customers the file text of the config kinds, and the reissue its own text', () => {
    const wg = renderNotification(i18n, 'en', 'subscription_ready', { wireguard: true, link: null, endsAt: '2030-03-01T12:00:00.000Z' });
    expect(wg).toContain('WireGuard settings file');
    expect(wg).not.toContain('null');
    const reissued = renderNotification(i18n, 'ru', 'key_reissued', { wireguard: false, link: 'https://x.example/sub/new' });
    expect(reissued).toContain('Ключ перевыпущен');
    expect(reissued).toContain('<code>https://x.example/sub/new</code>');
  });
});
