import { createPlatformMetrics, metrics, Registry, registry, type PlatformMetrics } from '@vpn/metrics';

/** Outcomes of a payment notification, one label value each. */
export type NotificationOutcome = 'accepted' | 'duplicate' | 'forged' | 'malformed' | 'replayed' | 'unknown_payment' | 'error';

/** The platform's metrics (`@vpn/metrics`) with the registry `/metrics` serves. */
export interface WebhookMetrics extends PlatformMetrics {
  readonly registry: Registry;
}

/**
 * The process's metrics (`main.ts`), or with `{ isolated: true }` a registry of their own, so a
 * test that builds several apps in one process reads each one's counts alone.
 */
export function createMetrics(options: { isolated?: boolean } = {}): WebhookMetrics {
  if (!options.isolated) return { ...metrics, registry };
  const own = new Registry();
  return { ...createPlatformMetrics(own), registry: own };
}
