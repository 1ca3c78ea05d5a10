import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The `.env` files a process started in `cwd` reads: `cwd/.env`, then the one at the workspace
 * root (the nearest folder up with pnpm-workspace.yaml), since `pnpm --filter <pkg> start` runs in
 * the package's folder while operators keep one `.env` at the root.
 */
export function dotEnvCandidates(cwd: string): string[] {
  const out = [join(cwd, '.env')];
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) {
      const root = join(dir, '.env');
      if (!out.includes(root)) out.push(root);
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return out;
}

/**
 * Loads the first existing file of `files` into `target`, as `process.loadEnvFile` does: a key
 * already present in `target` keeps its value (the real environment wins over the file).
 * Returns the file it loaded, or undefined when none exists.
 */
export function loadDotEnv(files: readonly string[], target: NodeJS.ProcessEnv): string | undefined {
  const file = files.find((f) => existsSync(f));
  if (file === undefined) return undefined;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (target[key] === undefined && value !== undefined) target[key] = value;
  }
  return file;
}

/**
 * Tests never read a developer's `.env`: vitest sets VITEST in its workers (and the processes
 * they spawn inherit it), and spawned test processes run with NODE_ENV=test.
 */
export function isTestProcess(env: NodeJS.ProcessEnv): boolean {
  return env.VITEST !== undefined || env.NODE_ENV === 'test';
}
