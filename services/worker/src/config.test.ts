import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config.js';

const env = { ENCRYPTION_KEY: 'a'.repeat(64), CLIENT_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOP' };

describe('worker config', () => {
  it('with YooKassa and its receipts on, refuses to start without a receipts email (auto-renew charges and refunds carry receipts)', () => {
    const yookassa = { ...env, PAYMENT_PROVIDERS: 'yookassa', YOOKASSA_SHOP_ID: '100500', YOOKASSA_SECRET_KEY: 'test_key' };
    expect(() => loadWorkerConfig(yookassa)).toThrow(/YOOKASSA_RECEIPT_EMAIL: is required when yookassa is enabled/);
    expect(loadWorkerConfig({ ...yookassa, YOOKASSA_RECEIPT_EMAIL: 'receipts@vpn.example' }).YOOKASSA_RECEIPT_EMAIL).toBe(
      'receipts@vpn.example',
    );
    expect(loadWorkerConfig(env).PAYMENT_PROVIDERS).toEqual(['stars']);
  });
});
