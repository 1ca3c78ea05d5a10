import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

interface DryTask {
  taskId: string;
  task: string;
  package: string;
  directory: string;
  inputs: Record<string, string>;
}

/** Every TypeScript and JSON file of a package folder (locales are typed keys), relative to it as turbo names inputs. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') || (entry.name.endsWith('.json') && entry.name !== 'turbo.json')) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out;
}

/** Files every task hashes anyway (turbo.json globalDependencies, `*` globs only). */
const globalDependencies =
  (JSON.parse(readFileSync(join(root, 'turbo.json'), 'utf8')) as { globalDependencies?: string[] }).globalDependencies ?? [];
const isGlobal = (path: string) =>
  globalDependencies.some((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(path));

describe('turbo task inputs', () => {
  // A file missing from a task's inputs leaves that task cached when it changes, hiding errors.
  it(
    'hash every TypeScript and JSON file of every package into typecheck and lint, and the vitest config into test',
    { timeout: 30_000 },
    async () => {
      const { stdout } = await run(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'typecheck', 'lint', 'test', '--dry=json'], {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
      });
      const tasks = (JSON.parse(stdout) as { tasks: DryTask[] }).tasks;
      const missing: string[] = [];
      for (const t of tasks) {
        if (t.directory === '' || t.directory === '.') continue;
        const files = tsFiles(join(root, t.directory));
        if (t.task === 'test') {
          if (files.length && !Object.keys(t.inputs).some((k) => join(t.directory, k) === 'vitest.config.ts'))
            missing.push(`${t.taskId}: vitest.config.ts`);
          continue;
        }
        for (const f of files) if (!(f in t.inputs) && !isGlobal(join(t.directory, f))) missing.push(`${t.taskId}: ${f}`);
      }
      expect(tasks.map((t) => t.package)).toEqual(expect.arrayContaining(['@vpn/scripts', '@vpn/bench', '@vpn/db']));
      expect(missing).toEqual([]);
    },
  );
});
