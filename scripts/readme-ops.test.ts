import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The README's operator sections show commands; each must be one a test runs, flags included,
// so the how-to cannot drift from what the scripts do.
const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const rootScripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; volumes?: string[] }>;
};

/** The text of a `## title` section, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 4);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Every command line of the section's sh blocks, without its trailing comment. */
function commands(text: string): string[] {
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/** The tests that spawn processes, by path. */
function testFiles(dir: string, out: Map<string, string> = new Map()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) testFiles(path, out);
    else if (name.endsWith('.test.ts')) out.set(relative(root, path), readFileSync(path, 'utf8'));
  }
  return out;
}
const tests = new Map(['scripts', 'services', 'packages', 'bots'].flatMap((d) => [...testFiles(join(root, d))]));

/** The test that runs `pnpm <script>` with every flag the README shows. */
function testRunning(script: string, flags: string[]): string | undefined {
  for (const [path, text] of tests) if (text.includes(`'pnpm', ['${script}'`) && flags.every((f) => text.includes(`'${f}'`))) return path;
  return undefined;
}

describe.each(['Going live', 'Backups'])('README "%s"', (title) => {
  const shown = commands(section(title));

  it('shows commands', () => expect(shown.length).toBeGreaterThan(0));

  it.each(shown)('%s is a script a test runs, flags included', (line) => {
    let words = line.split(/\s+/);
    const dockerRun = ['docker', 'compose', 'run', '--rm'];
    if (dockerRun.every((w, i) => words[i] === w)) {
      // Under compose: a service of the platform's image, which holds the scripts and their tsx.
      const service = compose.services[words[4] ?? ''];
      expect(service?.image, `compose service ${words[4]}`).toBe(compose.services.migrate?.image);
      const path = words.find((w) => w.startsWith('/backups/'));
      if (path) expect(service?.volumes, `${words[4]} mounts /backups`).toContain('backups:/backups');
      words = words.slice(5);
    }
    expect(words[0]).toBe('pnpm');
    const script = words[1] ?? '';
    expect(rootScripts[script], `root script ${script}`).toBeDefined();
    const flags = words.filter((w) => w.startsWith('--'));
    expect(testRunning(script, flags), `a test running pnpm ${script} ${flags.join(' ')}`).toBeDefined();
  });
});
