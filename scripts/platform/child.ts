import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Env } from '@vpn/config';
import { waitForHttp } from './ports.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const tsxBin = join(repoRoot, 'node_modules', '.bin', 'tsx');

/** One of the platform's processes, run exactly as in production but from source (tsx). */
export interface ServiceSpec {
  name: string;
  /** Entry point relative to the repository root, e.g. `services/worker/src/main.ts`. */
  entry: string;
  env: Env;
  /** A URL answering 2xx once the process is ready (its /healthz). */
  healthUrl?: string;
}

export interface ServiceOutput {
  /** `inherit`: prefixed lines on this terminal; a path: appended to that file; `ignore`: dropped. */
  mode: 'inherit' | 'ignore' | { file: string };
}

export interface RunningService {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** SIGTERM (graceful) by default; SIGKILL to simulate a crash. Resolves once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** How long a process may take to stop after SIGTERM before its whole group is killed. */
const GRACE_MS = 6_000;

/** Every process started here and not yet stopped, so a launcher stopped mid-start leaves none behind. */
const live = new Set<RunningService>();

/** Stops every process this module started (the launcher's SIGINT/SIGTERM handler calls it). */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop()));
}

/** Signals the process group led by `pid`; false when no process of the group is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Waits until no process of the group is left, or `ms` passed; true when it is gone. */
async function groupGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (signalGroup(pid, 0)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export async function startService(spec: ServiceSpec, output: ServiceOutput = { mode: 'inherit' }): Promise<RunningService> {
  // `tsx` runs the entry point in a node process of its own: the service is that pair. Each
  // service gets its own process group, so a stop reaches the node under the wrapper too (killing
  // only the wrapper left an orphan bot polling Telegram), and Ctrl+C on the terminal reaches the
  // launcher alone, which then stops the services in order.
  const child = spawn(tsxBin, [join(repoRoot, spec.entry)], {
    cwd: repoRoot,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  pipeOutput(spec.name, child, output);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  let stopping: Promise<number | string> | undefined;
  const service: RunningService = {
    name: spec.name,
    child,
    exited,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      stopping ??= (async () => {
        if (pid === undefined) return exited;
        signalGroup(pid, signal);
        // A process that ignores SIGTERM for too long is killed: shutdown must not hang the caller.
        if (!(await groupGone(pid, GRACE_MS))) signalGroup(pid, 'SIGKILL');
        await groupGone(pid, 2_000);
        const result = await exited;
        live.delete(service);
        return result;
      })();
      return stopping;
    },
  };
  live.add(service);
  // A service that dies on its own takes its group along: nothing of it outlives it.
  void exited.then(() => {
    if (pid !== undefined && !stopping) signalGroup(pid, 'SIGKILL');
    if (!stopping) live.delete(service);
  });
  if (spec.healthUrl) {
    const early = exited.then((code) => {
      throw new Error(`${spec.name} exited (${code}) before it was ready`);
    });
    try {
      await Promise.race([waitForHttp(spec.healthUrl, 60_000), early]);
    } catch (error) {
      await service.stop('SIGKILL');
      throw error;
    }
    void early.catch(() => undefined);
  }
  return service;
}

function pipeOutput(name: string, child: ChildProcess, output: ServiceOutput): void {
  const { mode } = output;
  if (mode === 'ignore') {
    child.stdout?.resume();
    child.stderr?.resume();
    return;
  }
  if (mode === 'inherit') {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
    }
    return;
  }
  mkdirSync(dirname(mode.file), { recursive: true });
  const file = createWriteStream(mode.file, { flags: 'a' });
  child.stdout?.pipe(file, { end: false });
  child.stderr?.pipe(file, { end: false });
  child.once('exit', () => file.end());
}
