import type { SettingsRepository } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { PaymentProviders, ProviderName } from '@vpn/payments';

/** The setting an operator (the admin bot) uses to choose and order the methods offered at checkout. */
export const PAYMENT_METHODS_SETTING = 'payments.methods';

/** Which of the configured providers customers are offered for a new payment, in display order. */
export interface PaymentMethodsSource {
  offered(): Promise<readonly ProviderName[]>;
}

/**
 * `PAYMENT_PROVIDERS` (configuration: which providers have keys and can run at all) narrowed and
 * ordered by the `payments.methods` setting (a JSON array of provider names) when it is set, so an
 * operator can pause or reorder a method without a restart. A name in the setting that is not
 * configured is logged and skipped; a setting that is not an array of names, or leaves nothing,
 * is logged and ignored (every configured method is offered). Read at most once per `ttlMs`.
 * Payments already made, auto-renewals and polls are not affected.
 */
export function createPaymentMethodsSource(options: {
  settings: Pick<SettingsRepository, 'get'>;
  payments: Pick<PaymentProviders, 'names'>;
  logger: Logger;
  ttlMs?: number;
  now?: () => number;
}): PaymentMethodsSource {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const configured = options.payments.names;
  let cached: { at: number; methods: readonly ProviderName[] } | undefined;

  const resolve = (value: unknown): readonly ProviderName[] => {
    if (value === null || value === undefined) return configured;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      options.logger.error(
        { setting: PAYMENT_METHODS_SETTING },
        'payment methods setting is not a list of provider names; offering every configured method',
      );
      return configured;
    }
    const chosen = [...new Set(value)];
    const unknown = chosen.filter((name) => !configured.includes(name as ProviderName));
    if (unknown.length > 0)
      options.logger.warn(
        { setting: PAYMENT_METHODS_SETTING, unknown },
        'payment methods setting names providers that are not configured; skipped',
      );
    const offered = chosen.filter((name): name is ProviderName => configured.includes(name as ProviderName));
    if (offered.length === 0) {
      options.logger.error(
        { setting: PAYMENT_METHODS_SETTING },
        'payment methods setting leaves no configured method; offering every configured one',
      );
      return configured;
    }
    return offered;
  };

  return {
    async offered() {
      if (cached && now() - cached.at < ttlMs) return cached.methods;
      const methods = resolve(await options.settings.get(PAYMENT_METHODS_SETTING));
      cached = { at: now(), methods };
      return methods;
    },
  };
}
