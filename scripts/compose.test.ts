import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knownKeys, z } from '@vpn/config';
import { databaseProcessSchema } from '@vpn/db';

// There is no Docker engine on the development machines, so the compose file is checked here:
// every command must exist as a package script, every variable (its `environment:` and the
// `.env` it reads through env_file, whose template is .env.example) must be known to the config,
// and everything a process cannot start without must be in the template.
const root = join(import.meta.dirname, '..');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  healthcheck?: { test?: string[]; start_period?: string };
  restart?: string;
  ports?: (string | number)[];
}

const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
};

/** The keys of .env.example (`KEY=value` lines; comments and blank lines skipped). */
const envExample = readFileSync(join(root, '.env.example'), 'utf8')
  .split('\n')
  .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
  .filter((k): k is string => k !== undefined);

interface ProcessPackage {
  dir: string;
  name: string;
  scripts: Record<string, string>;
}

/** Every process of the platform: a package under bots/ or services/ with a production start script. */
function processPackages(): ProcessPackage[] {
  const out: ProcessPackage[] = [];
  for (const top of ['bots', 'services']) {
    for (const name of readdirSync(join(root, top))) {
      const file = join(root, top, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; scripts?: Record<string, string> };
      out.push({ dir: `${top}/${name}`, name: pkg.name, scripts: pkg.scripts ?? {} });
    }
  }
  return out;
}

/** Keys a schema cannot do without: no default, not optional. */
function requiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key);
}

/** The config schemas a process's src/config.ts exports (every exported zod object). */
async function processSchemas(dir: string): Promise<z.ZodObject[]> {
  const file = join(root, dir, 'src', 'config.ts');
  if (!existsSync(file)) return [];
  const mod = (await import(file)) as Record<string, unknown>;
  return Object.values(mod).filter((v): v is z.ZodObject => v instanceof z.ZodObject);
}

function packageScripts(): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; scripts: Record<string, string> };
  out.set('//', rootPkg.scripts);
  for (const dir of ['packages', 'bots', 'services']) {
    for (const name of readdirSync(join(root, dir))) {
      const file = join(root, dir, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; scripts?: Record<string, string> };
      out.set(pkg.name, pkg.scripts ?? {});
    }
  }
  return out;
}

const ours = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('tg-vpn'));
// Read by the official postgres image or by compose's own interpolation, not by our processes.
const infraOnly = new Set(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB']);

describe('docker-compose.yml', () => {
  const scripts = packageScripts();

  it('runs one service per process (every package under bots/ and services/) plus the one-shot migration', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'migrate']));
    const processes = processPackages();
    expect(processes.map((p) => p.dir)).toEqual(expect.arrayContaining(['bots/client', 'services/webhooks', 'services/worker']));
    const commands = ours.map(([, service]) => (service.command ?? []).join(' '));
    for (const p of processes) {
      expect(p.scripts['start:prod'], `${p.name} has a start:prod script`).toBeDefined();
      expect(commands, `a compose service runs ${p.dir}`).toContain(`pnpm --filter ${p.name} start:prod`);
    }
  });

  it('reads the .env that .env.example documents in every service of ours', () => {
    for (const [name, service] of ours) expect([service.env_file].flat(), name).toContain('.env');
  });

  it('.env.example holds only keys the config schema knows (plus the compose-only POSTGRES_PASSWORD)', () => {
    const known = new Set(knownKeys());
    expect(envExample.length).toBeGreaterThan(5);
    expect(envExample.filter((k) => !known.has(k) && !infraOnly.has(k))).toEqual([]);
  });

  it('.env.example holds every key a process requires without a default, and every key compose interpolates', async () => {
    const required = new Set(requiredKeys(databaseProcessSchema)); // the migrate service
    for (const p of processPackages()) {
      const schemas = await processSchemas(p.dir);
      expect(schemas.length, `${p.dir}/src/config.ts exports its zod schema`).toBeGreaterThan(0);
      for (const schema of schemas) for (const key of requiredKeys(schema)) required.add(key);
    }
    expect([...required]).toEqual(expect.arrayContaining(['ENCRYPTION_KEY', 'CLIENT_BOT_TOKEN']));
    for (const m of composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)) required.add(m[1]!);
    expect([...required].filter((k) => !envExample.includes(k))).toEqual([]);
    // Optional to start, but without them Stars payments and app-import links do not work.
    expect(envExample).toEqual(expect.arrayContaining(['STARS_FORWARD_SECRET', 'GO_LINK_SECRET']));
  });

  it.each(ours)('%s runs a package script that exists', (_name, service) => {
    const cmd = service.command ?? [];
    expect(cmd[0]).toBe('pnpm');
    if (cmd[1] === '--filter') {
      const pkg = scripts.get(cmd[2] ?? '');
      expect(pkg, `package ${cmd[2]}`).toBeDefined();
      expect(pkg?.[cmd[3] ?? ''], `script ${cmd[3]} of ${cmd[2]}`).toBeDefined();
    } else {
      expect(cmd[1]).toBe('run');
      expect(scripts.get('//')?.[cmd[2] ?? ''], `root script ${cmd[2]}`).toBeDefined();
    }
  });

  it.each(ours)('%s passes only variables the config schema knows', (_name, service) => {
    const known = new Set(knownKeys());
    const unknown = Object.keys(service.environment ?? {}).filter((k) => !known.has(k) && !infraOnly.has(k));
    expect(unknown).toEqual([]);
  });

  it('probes each process on the port it answers /healthz on, after a start period', () => {
    for (const [name, service] of ours) {
      if (name === 'migrate') continue;
      expect(service.healthcheck?.start_period, `${name} healthcheck start_period`).toMatch(/^\d+s$/);
      const probe = (service.healthcheck?.test ?? []).join(' ');
      const port = /127\.0\.0\.1:(\d+)\/healthz/.exec(probe)?.[1];
      const env = service.environment ?? {};
      // The admin API answers on its own port; every other process (the webhooks service too) on its health port.
      const own: Record<string, string | undefined> = { 'admin-api': env.ADMIN_API_PORT };
      expect(port, name).toBe(name in own ? own[name] : env.HEALTH_PORT);
    }
  });

  it('publishes only the public webhooks port, never an ops port (/metrics, /healthz)', () => {
    for (const [name, service] of ours) {
      const env = service.environment ?? {};
      const published = (service.ports ?? []).map((p) => String(p).split(':').at(-1));
      expect(published, name).not.toContain(env.HEALTH_PORT);
      if (name !== 'webhooks') expect(published, name).toEqual([]);
    }
  });

  it('keeps Redis data with append-only persistence, never evicts (Bull) and restarts long-running services', () => {
    const redis = compose.services.redis?.command?.join(' ');
    expect(redis).toContain('--appendonly yes');
    // Bull's keys must never be evicted under memory pressure: a lost key is a lost job.
    expect(redis).toContain('--maxmemory-policy noeviction');
    for (const [name, service] of ours) {
      if (name === 'migrate') continue;
      expect(service.restart, name).toBe('unless-stopped');
      expect(service.healthcheck, name).toBeDefined();
    }
  });
});
