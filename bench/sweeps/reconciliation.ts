import type { Database } from '@vpn/db';
import { silentLogger } from '@vpn/logger';
import { PaymentError, type PaymentProviders } from '@vpn/payments';
import type { Producers } from '@vpn/queues';
import { createProviderPacer, providerPace } from '@vpn/worker/payments/paced';
import { reconcileClosed } from '@vpn/worker/payments/reconcile-closed';

/**
 * Providers that answer every status read after `latencyMs` with "no such payment": the
 * reconciliation reads, compares and reports, and writes nothing (a late success would settle).
 */
function slowProviders(latencyMs: number): Pick<PaymentProviders, 'has' | 'get'> {
  const provider = {
    getPayment: async (externalId: string) => {
      await new Promise((r) => setTimeout(r, latencyMs));
      throw new PaymentError('not_found', `no payment ${externalId}`);
    },
  };
  return { has: (() => true) as unknown as PaymentProviders['has'], get: () => provider as never };
}

/**
 * The daily reconciliation's reads of closed payments from [from, to) with providers answering in
 * `latencyMs`, at each provider's pace as the worker now reads them.
 */
export async function measureReconciliation(
  db: Database,
  window: { from: Date; to: Date; latencyMs: number },
  print: (line: string) => void,
): Promise<void> {
  const deps = { db, payments: slowProviders(window.latencyMs), producers: {} as Pick<Producers, 'settlement'> };
  const log = silentLogger();
  const t0 = performance.now();
  const paced = await reconcileClosed({ ...deps, pacer: createProviderPacer(providerPace) }, window.from, window.to, window.to, log);
  const pacedS = (performance.now() - t0) / 1000;
  print(`payment reconciliation, providers answering in ${window.latencyMs} ms`);
  print(
    `  ${paced.checked} closed payments read at each provider's pace in ${pacedS.toFixed(0)} s (${(paced.checked / pacedS).toFixed(0)} reads/s)`,
  );
  // The loop before read one payment at a time: at least a provider's latency per read.
  print(`  one at a time (before): at least ${((paced.checked * window.latencyMs) / 60_000).toFixed(1)} min for the same reads`);
}
