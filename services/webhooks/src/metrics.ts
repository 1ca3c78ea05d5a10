import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Outcomes of a payment notification, one label value each. */
export type NotificationOutcome = 'accepted' | 'duplicate' | 'forged' | 'malformed' | 'replayed' | 'unknown_payment' | 'error';

/** The service's Prometheus metrics, on a registry of its own (tests build several apps per process). */
export interface WebhookMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly notifications: Counter<'provider' | 'outcome'>;
}

/** Builds the registry: request counts and latency by route and status, notifications by provider and outcome, process metrics. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): WebhookMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      // Acknowledgements are meant to take milliseconds: resolution where it matters.
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    notifications: new Counter({
      name: 'payment_notifications_total',
      help: 'Payment notifications by provider and outcome',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    }),
  };
}
