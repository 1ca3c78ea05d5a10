import { collectDefaultMetrics, Registry } from 'prom-client';
import { createPlatformMetrics } from './catalog.js';

/**
 * The process's registry. Metrics are process-wide by nature (one `/metrics` per process), and the
 * code that moves them sits deep in packages (the Bot API transformer, queue consumption, the panel
 * circuit breakers), so they are module singletons rather than dependencies threaded through
 * every factory. Tests compare values before and after, never absolute counts.
 */
export const registry = new Registry();
export const metrics = createPlatformMetrics(registry);

let started = false;

/**
 * Names the process (`service` label on every series) and starts Node's default metrics (CPU,
 * memory, event loop lag, GC). Called once by each `main.ts`.
 */
export function initProcessMetrics(service: string): void {
  if (started) return;
  started = true;
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
}

/** A reader that refreshes gauges from Redis or the database just before a scrape. */
export type ScrapeHook = () => Promise<void>;
const hooks = new Map<string, ScrapeHook>();

/** Registers (or replaces) the reader `name`; returns a function that removes it. */
export function onScrape(name: string, hook: ScrapeHook): () => void {
  hooks.set(name, hook);
  return () => {
    if (hooks.get(name) === hook) hooks.delete(name);
  };
}

const within = (hook: ScrapeHook, ms: number) =>
  Promise.race([hook(), new Promise<void>((_, reject) => setTimeout(() => reject(new Error('scrape hook timed out')), ms).unref())]);

/**
 * The Prometheus text of `target` after running the scrape hooks (each within 3 s; one that fails
 * or hangs leaves its gauges as they were, so a slow database never fails the whole scrape).
 */
export async function renderMetrics(target: Registry = registry): Promise<string> {
  await Promise.allSettled([...hooks.values()].map((hook) => within(hook, 3_000)));
  return target.metrics();
}
