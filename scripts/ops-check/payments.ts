import { createPaymentProviders, PaymentError, type PaymentsConfig } from '@vpn/payments';
import { fail, ok, reason, skip, type CheckLine } from './report.js';

/** Why a provider has no credentials check, in the operator's words. */
const UNCHECKABLE: Record<string, string> = {
  stars: 'no keys of its own: Stars are paid to the client bot (its token is checked above)',
  severpay: 'not checked: its API has only create and get, and how it refuses a bad signature is undocumented; the first payment will tell',
};

/**
 * Each enabled provider's keys, with the adapter's read-only call where the provider has one
 * (`checkCredentials`); nothing is created or paid. Missing keys are reported without a call.
 */
export async function checkPayments(config: PaymentsConfig): Promise<CheckLine[]> {
  let providers;
  try {
    providers = createPaymentProviders(config);
  } catch (error) {
    const text = reason(error).replace(/^payment providers misconfigured: /, '');
    return text.split('; ').map((problem) => fail('payments', problem));
  }
  const lines: CheckLine[] = [];
  for (const provider of providers.list()) {
    if (!provider.checkCredentials) {
      lines.push(skip('payments', `${provider.name}: ${UNCHECKABLE[provider.name] ?? 'no read-only call to check its keys with'}`));
      continue;
    }
    try {
      lines.push(ok('payments', `${provider.name}: ${await provider.checkCredentials()}`));
    } catch (error) {
      const refused = error instanceof PaymentError && error.code === 'not_configured';
      lines.push(
        fail(
          'payments',
          `${provider.name}: ${refused ? 'keys refused' : 'check failed'} (${reason(error)})${refused ? ": copy them again from the provider's cabinet" : ''}`,
        ),
      );
    }
  }
  return lines;
}
