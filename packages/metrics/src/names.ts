import { collectDefaultMetrics, Registry } from 'prom-client';
import { createPlatformMetrics } from './catalog.js';

/** Series names of a metric: a histogram is read as `_bucket`, `_sum` and `_count`. */
const seriesOf = (name: string, type: string): string[] =>
  type === 'histogram'
    ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
    : type === 'summary'
      ? [name, `${name}_sum`, `${name}_count`]
      : [name];

/**
 * Every series name a process of the platform can export (the catalog and Node's default
 * metrics), for checking that dashboards and alert rules query only what exists.
 */
export async function exportedSeriesNames(): Promise<Set<string>> {
  const scratch = new Registry();
  createPlatformMetrics(scratch);
  collectDefaultMetrics({ register: scratch });
  const names = new Set<string>();
  for (const m of await scratch.getMetricsAsJSON()) for (const s of seriesOf(m.name, String(m.type))) names.add(s);
  return names;
}

/** The catalog's own metric names (not Node's defaults): what the dashboards must show. */
export async function catalogMetricNames(): Promise<string[]> {
  const scratch = new Registry();
  createPlatformMetrics(scratch);
  return (await scratch.getMetricsAsJSON()).map((m) => m.name);
}
