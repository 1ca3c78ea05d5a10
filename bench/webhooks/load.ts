import { Agent, request } from 'node:http';

/** One request to send: the exact bytes and headers. */
export interface Shot {
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  sent: number;
  /** Responses by HTTP status ('error' for a failed connection). */
  statuses: Record<string, number>;
  /** Per-request latency in ms; for the open loop measured from the moment the request was due. */
  latenciesMs: number[];
  elapsedMs: number;
}

function post(agent: Agent, url: URL, shot: Shot): Promise<number | 'error'> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(shot.body), ...shot.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve('error'));
    req.end(shot.body);
  });
}

const count = (statuses: Record<string, number>, status: number | 'error') =>
  void (statuses[String(status)] = (statuses[String(status)] ?? 0) + 1);

/**
 * Open loop: request i is due at start + i / rate whatever happened to the others, and its
 * latency counts from that moment, so a stall shows up in the percentiles instead of quietly
 * lowering the rate (no coordinated omission).
 */
export async function openLoop(target: string, rate: number, durationMs: number, next: () => Shot): Promise<LoadResult> {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round((rate * durationMs) / 1000);
  const statuses: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const inflight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const shot = next();
    inflight.push(
      post(agent, url, shot).then((status) => {
        latenciesMs.push(performance.now() - due);
        count(statuses, status);
      }),
    );
  }
  await Promise.all(inflight);
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return { sent: total, statuses, latenciesMs, elapsedMs };
}

/**
 * Closed loop: `connections` clients each send the next request as soon as the last one answered,
 * until the deadline or until `next` has nothing more to send (null).
 */
export async function closedLoop(target: string, connections: number, durationMs: number, next: () => Shot | null): Promise<LoadResult> {
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const statuses: Record<string, number> = {};
  const latenciesMs: number[] = [];
  let sent = 0;
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const shot = next();
        if (!shot) return;
        const t0 = performance.now();
        sent++;
        count(statuses, await post(agent, url, shot));
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return { sent, statuses, latenciesMs, elapsedMs };
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
