export { createPlatformMetrics, type PlatformMetrics } from './catalog.js';
export { initProcessMetrics, metrics, onScrape, registry, renderMetrics, type ScrapeHook } from './registry.js';
export { startOpsServer, type HealthCheck, type OpsServer } from './ops-server.js';
export { Registry } from 'prom-client';
export { catalogMetricNames, exportedSeriesNames } from './names.js';
export { metricNamesIn } from './promql-names.js';
