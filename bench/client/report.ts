import type { ChildStats } from './instrument.js';
import type { Target } from './journey.js';

export interface Result {
  target: Target;
  updates: number;
  seconds: number;
  /** Updates per second over the whole load, as the customers saw it (answer included). */
  throughput: number;
  idle: ChildStats;
  load: ChildStats;
  /** CPU the emulator and the simulated customers (this process) spent per update. */
  harnessCpuMsPerUpdate: number;
  /** Bot API calls made during the load, by method. */
  apiCalls: Record<string, number>;
}

/** The issue's targets for the client bot. */
export const TARGETS = { relativeThroughput: 0.5, throughput: 1_000, p99Ms: 50, rssIdleMb: 120, rssLoadMb: 250 };

const row = (r: Result) =>
  `${r.target.padEnd(7)} ${String(r.updates).padStart(7)} ${r.seconds.toFixed(2).padStart(7)} s ${r.throughput.toFixed(0).padStart(8)}/s ${String(r.load.p50Ms).padStart(7)} ${String(r.load.p99Ms).padStart(7)} ${String(r.load.maxMs).padStart(8)} ${String(r.idle.rssNowMb).padStart(9)} ${String(r.load.rssPeakMb).padStart(9)} ${String(r.load.failed).padStart(6)}`;

/** Prints the comparison and the verdict per target; true when every target is met. */
export function report(bare: Result, client: Result, run: { users: number; concurrency: number }): boolean {
  const lines = [
    `client bot bench: ${run.users} customers × ${client.updates / run.users} updates, ${run.concurrency} at a time`,
    'bot      updates    time   throughput  p50 ms  p99 ms   max ms  idle RSS  peak RSS  failed',
    row(bare),
    row(client),
  ];
  const checks: Array<[string, boolean]> = [
    [`throughput ≥ ${TARGETS.relativeThroughput * 100}% of bare (${((client.throughput / bare.throughput) * 100).toFixed(0)}%)`, client.throughput >= bare.throughput * TARGETS.relativeThroughput],
    [`throughput ≥ ${TARGETS.throughput}/s (${client.throughput.toFixed(0)}/s)`, client.throughput >= TARGETS.throughput],
    [`handler p99 < ${TARGETS.p99Ms} ms (${client.load.p99Ms} ms)`, client.load.p99Ms < TARGETS.p99Ms],
    [`RSS idle < ${TARGETS.rssIdleMb} MB (${client.idle.rssNowMb} MB)`, client.idle.rssNowMb < TARGETS.rssIdleMb],
    [`RSS under load < ${TARGETS.rssLoadMb} MB (${client.load.rssPeakMb} MB)`, client.load.rssPeakMb < TARGETS.rssLoadMb],
    [`no failed updates (${client.load.failed})`, client.load.failed === 0],
  ];
  for (const r of [bare, client]) {
    const perUpdate = (n: number) => (n / r.updates).toFixed(2);
    const calls = Object.entries(r.apiCalls).sort((a, b) => b[1] - a[1]);
    lines.push(`${r.target}: CPU per update ${r.load.cpuMsPerUpdate} ms, ${r.load.systemMsPerUpdate} ms of it in the kernel (emulator and customers: ${r.harnessCpuMsPerUpdate} ms); API calls per update ${perUpdate(calls.reduce((n, [, c]) => n + c, 0))} (${calls.map(([m, c]) => `${m} ${perUpdate(c)}`).join(', ')})`);
    if (r.load.queries > 0) lines.push(`${r.target}: SQL per update ${perUpdate(r.load.queries)}; most frequent:`, ...r.load.topQueries.map(([q, c]) => `  ${perUpdate(c)}  ${q}`));
  }
  for (const [what, ok] of checks) lines.push(`${ok ? 'PASS' : 'MISS'}  ${what}`);
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify({ bare, client })}\n`);
  return checks.every(([, ok]) => ok);
}
