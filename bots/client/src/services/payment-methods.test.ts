import { silentLogger } from '@vpn/logger';
import type { ProviderName } from '@vpn/payments';
import { describe, expect, it, vi } from 'vitest';
import { createPaymentMethodsSource, PAYMENT_METHODS_SETTING } from './payment-methods.js';

function source(value: unknown, names: ProviderName[] = ['yookassa', 'stars', 'cryptopay']) {
  let stored = value;
  let t = 0;
  const logger = silentLogger();
  const warn = vi.spyOn(logger, 'warn');
  const error = vi.spyOn(logger, 'error');
  const get = vi.fn(async (key: string) => (key === PAYMENT_METHODS_SETTING ? stored : null));
  const methods = createPaymentMethodsSource({ settings: { get } as never, payments: { names }, logger, ttlMs: 1_000, now: () => t });
  return { methods, get, warn, error, set: (v: unknown) => void (stored = v), tick: (ms: number) => void (t += ms) };
}

describe('payment methods source', () => {
  it('offers every configured provider while the setting is unset', async () => {
    expect(await source(null).methods.offered()).toEqual(['yookassa', 'stars', 'cryptopay']);
  });

  it('narrows and orders by the setting, skipping names that are not configured', async () => {
    const s = source(['stars', 'wata', 'yookassa', 'stars']);
    expect(await s.methods.offered()).toEqual(['stars', 'yookassa']);
    expect(s.warn).toHaveBeenCalledWith(expect.objectContaining({ unknown: ['wata'] }), expect.any(String));
  });

  it('ignores a malformed setting or one that leaves nothing, and says so', async () => {
    for (const bad of ['stars', [1, 2], { stars: true }, [], ['wata']]) {
      const s = source(bad);
      expect(await s.methods.offered()).toEqual(['yookassa', 'stars', 'cryptopay']);
      expect(s.error).toHaveBeenCalledTimes(1);
    }
  });

  it('reads the setting at most once per ttl', async () => {
    const s = source(['stars']);
    await s.methods.offered();
    s.set(['yookassa']);
    s.tick(999);
    expect(await s.methods.offered()).toEqual(['stars']);
    s.tick(1);
    expect(await s.methods.offered()).toEqual(['yookassa']);
    expect(s.get).toHaveBeenCalledTimes(2);
  });
});
