import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { readEnv } from '@vpn/config';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export const SERVICE_MAINS = {
  webhooks: `${ROOT}services/webhooks/src/main.ts`,
  worker: `${ROOT}services/worker/src/main.ts`,
} as const;

/** A service started as its own process (`node --import tsx <main.ts>`), as it runs in production. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Every JSON log line it printed so far. */
  readonly lines: Array<Record<string, unknown>>;
  /** Resolves with the first log line matching `test` (already printed or still to come). */
  waitForLine(test: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the process has ended, with its exit code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (graceful) and wait; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `service` (ours, or any `main` file) with the environment plus `env`; its stdout is parsed as JSON lines. */
export function startService(
  service: keyof typeof SERVICE_MAINS | { name: string; main: string },
  env: Record<string, string>,
  nodeArgs: string[] = [],
): ServiceProcess {
  const main = typeof service === 'string' ? SERVICE_MAINS[service] : service.main;
  const name = typeof service === 'string' ? service : service.name;
  // One process (node with tsx's loader), not the tsx CLI's wrapper: a SIGKILL hits the service itself.
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main], {
    cwd: ROOT,
    env: { ...readEnv(), NODE_ENV: 'test', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters = new Set<{ test: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }>();
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of [...waiters]) if (w.test(line)) w.resolve(line);
  });
  createInterface({ input: child.stderr }).on('line', (text) => void stderr.push(text));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));

  return {
    child,
    lines,
    exited,
    waitForLine(test, timeoutMs = 30_000) {
      const seen = lines.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const finish = (err: Error | undefined, line?: Record<string, unknown>) => {
          if (!waiters.delete(waiter)) return;
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(line!);
        };
        const waiter = { test, resolve: (line: Record<string, unknown>) => finish(undefined, line) };
        const timer = setTimeout(
          () => finish(new Error(`${name}: no matching log line in ${timeoutMs} ms; stderr: ${stderr.slice(-20).join('\n')}`)),
          timeoutMs,
        );
        waiters.add(waiter);
        void exited.then(({ code, signal }) =>
          finish(new Error(`${name} exited (${code ?? signal}) before the line; stderr: ${stderr.slice(-20).join('\n')}`)),
        );
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
