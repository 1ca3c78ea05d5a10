import type { ChildStats } from './instrument.js';
import type { Target } from './journey.js';

/** One phase of load against one bot. */
export interface Phase {
  updates: number;
  seconds: number;
  /** Updates per second over the phase, as the customers saw it (answer included). */
  throughput: number;
  stats: ChildStats;
  /** CPU the emulator and the simulated customers (this process) spent per update. */
  harnessCpuMsPerUpdate: number;
  /** Bot API calls made during the phase, by method (and `<method>:bytes` of parameters). */
  apiCalls: Record<string, number>;
}

export interface Result {
  target: Target;
  idle: ChildStats;
  saturation: Phase;
  paced: Phase & { rate: number };
}

/** The issue's targets for the client bot. */
export const TARGETS = { relativeThroughput: 0.5, throughput: 1_000, p99Ms: 50, rssIdleMb: 120, rssLoadMb: 250 };

const cells = (...v: Array<string | number>) => v.map((x, i) => String(x).padStart(i === 0 ? 0 : 9)).join(' ');
const row = (r: Result, p: Phase, what: string) =>
  cells(
    `${r.target.padEnd(6)} ${what.padEnd(11)}`,
    p.updates,
    `${p.seconds.toFixed(2)} s`,
    `${p.throughput.toFixed(0)}/s`,
    p.stats.p50Ms,
    p.stats.p99Ms,
    p.stats.maxMs,
    p.stats.cpuMsPerUpdate,
    p.stats.rssPeakMb,
    p.stats.failed,
  );

function detail(r: Result, p: Phase): string[] {
  const perUpdate = (n: number) => (n / p.updates).toFixed(2);
  const calls = Object.entries(p.apiCalls)
    .filter(([m]) => !m.endsWith(':bytes'))
    .sort((a, b) => b[1] - a[1]);
  const bytes = Object.entries(p.apiCalls)
    .filter(([m]) => m.endsWith(':bytes'))
    .reduce((n, [, c]) => n + c, 0);
  const lines = [
    `${r.target}: CPU per update ${p.stats.cpuMsPerUpdate} ms (${p.stats.systemMsPerUpdate} ms in the kernel); emulator and customers ${p.harnessCpuMsPerUpdate} ms`,
    `${r.target}: API calls per update ${perUpdate(calls.reduce((n, [, c]) => n + c, 0))} (${calls.map(([m, c]) => `${m} ${perUpdate(c)}`).join(', ')}), ${perUpdate(bytes)} bytes of parameters`,
  ];
  if (p.stats.queries > 0)
    lines.push(
      `${r.target}: SQL per update ${perUpdate(p.stats.queries)}; most frequent:`,
      ...p.stats.topQueries.map(([q, c]) => `  ${perUpdate(c)}  ${q.replace(/\s+/g, ' ').slice(0, 140)}`),
    );
  return lines;
}

/** Prints the comparison and the verdict per target; true when every target is met. */
export function report(bare: Result, client: Result, run: { users: number; concurrency: number }): boolean {
  const sat = client.saturation;
  const rssLoad = Math.max(client.saturation.stats.rssPeakMb, client.paced.stats.rssPeakMb);
  const lines = [
    `client bot bench: saturation ${run.users} customers × ${sat.updates / run.users} updates, ${run.concurrency} at a time; paced ${client.paced.rate} updates/s`,
    cells('bot    phase      ', 'updates', 'time', 'rate', 'p50 ms', 'p99 ms', 'max ms', 'CPU ms/u', 'peak RSS', 'failed'),
    row(bare, bare.saturation, 'saturation'),
    row(client, client.saturation, 'saturation'),
    row(bare, bare.paced, 'paced'),
    row(client, client.paced, 'paced'),
    `idle RSS: bare ${bare.idle.rssNowMb} MB, client ${client.idle.rssNowMb} MB`,
    ...detail(bare, bare.saturation),
    ...detail(client, client.saturation),
  ];
  const checks: Array<[string, boolean]> = [
    [
      `throughput ≥ ${TARGETS.relativeThroughput * 100}% of bare (${((sat.throughput / bare.saturation.throughput) * 100).toFixed(0)}%)`,
      sat.throughput >= bare.saturation.throughput * TARGETS.relativeThroughput,
    ],
    [`throughput ≥ ${TARGETS.throughput}/s (${sat.throughput.toFixed(0)}/s)`, sat.throughput >= TARGETS.throughput],
    [
      `handler p99 < ${TARGETS.p99Ms} ms at ${client.paced.rate} updates/s (${client.paced.stats.p99Ms} ms)`,
      client.paced.stats.p99Ms < TARGETS.p99Ms,
    ],
    [`RSS idle < ${TARGETS.rssIdleMb} MB (${client.idle.rssNowMb} MB)`, client.idle.rssNowMb < TARGETS.rssIdleMb],
    [`RSS under load < ${TARGETS.rssLoadMb} MB (${rssLoad} MB, peak of both phases)`, rssLoad < TARGETS.rssLoadMb],
    [`no failed updates (${sat.stats.failed + client.paced.stats.failed})`, sat.stats.failed + client.paced.stats.failed === 0],
  ];
  for (const [what, ok] of checks) lines.push(`${ok ? 'PASS' : 'MISS'}  ${what}`);
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify({ bare, client })}\n`);
  return checks.every(([, ok]) => ok);
}
