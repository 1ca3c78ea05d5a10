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

export async function startService(spec: ServiceSpec, output: ServiceOutput = { mode: 'inherit' }): Promise<RunningService> {
  const child = spawn(tsxBin, [join(repoRoot, spec.entry)], {
    cwd: repoRoot,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipeOutput(spec.name, child, output);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const service: RunningService = {
    name: spec.name,
    child,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A process that ignores SIGTERM for too long is killed: shutdown must not hang the caller.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
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
