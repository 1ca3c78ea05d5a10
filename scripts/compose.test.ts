import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
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
  expose?: (string | number)[];
  volumes?: string[];
  profiles?: string[];
  logging?: { driver?: string; options?: Record<string, string> };
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
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
// Read by the official postgres image, Caddy, Grafana or compose's own interpolation, not by our processes.
const infraOnly = new Set(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'DOMAIN', 'ACME_EMAIL', 'GRAFANA_ADMIN_PASSWORD']);

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

  it('probes each process on its ops port (HEALTH_PORT), after a start period', () => {
    for (const [name, service] of ours) {
      if (name === 'migrate') continue;
      expect(service.healthcheck?.start_period, `${name} healthcheck start_period`).toMatch(/^\d+s$/);
      const probe = (service.healthcheck?.test ?? []).join(' ');
      const port = /127\.0\.0\.1:(\d+)\/healthz/.exec(probe)?.[1];
      expect(port, name).toBe(service.environment?.HEALTH_PORT);
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

describe('docker-compose.yml for production: proxy, limits, logs, monitoring', () => {
  const all = Object.entries(compose.services);
  const caddyfile = readFileSync(join(root, 'ops', 'caddy', 'Caddyfile'), 'utf8');
  /** `handle <path> { reverse_proxy <target> }` blocks of the Caddyfile, path → target. */
  const routes = new Map([...caddyfile.matchAll(/handle(?: (\S+))? \{\s*reverse_proxy (\S+)\s*\}/g)].map((m) => [m[1] ?? '*', m[2]!]));

  it('publishes ports only from the proxy (80, 443) and Grafana on the machine itself', () => {
    for (const [name, service] of all) {
      const published = (service.ports ?? []).map(String);
      if (name === 'caddy') expect(published).toEqual(['80:80', '443:443', '443:443/udp']);
      else if (name === 'grafana') expect(published).toEqual(['127.0.0.1:3000:3000']);
      else expect(published, name).toEqual([]);
    }
  });

  it('gives every service a restart policy, rotated logs, resource limits and (long-running ones) a health check', () => {
    for (const [name, service] of all) {
      expect(service.restart, name).toBe(name === 'migrate' ? 'no' : 'unless-stopped');
      expect(service.logging?.driver, name).toBe('json-file');
      expect(service.logging?.options?.['max-size'], name).toMatch(/^\d+m$/);
      expect(Number(service.logging?.options?.['max-file']), name).toBeGreaterThan(1);
      expect(service.deploy?.resources?.limits?.memory, name).toMatch(/^\d+[MG]$/);
      expect(Number(service.deploy?.resources?.limits?.cpus), name).toBeGreaterThan(0);
      if (name !== 'migrate') expect(service.healthcheck?.test?.length, name).toBeGreaterThan(0);
    }
  });

  it('runs every bot in webhook mode behind the proxy: its URL path is routed to its webhook port', () => {
    const bots = ours.filter(([name]) => name.endsWith('-bot'));
    expect(bots.map(([n]) => n).sort()).toEqual(
      processPackages()
        .filter((p) => p.dir.startsWith('bots/'))
        .map((p) => `${basename(p.dir)}-bot`)
        .sort(),
    );
    for (const [name, service] of bots) {
      const env = service.environment ?? {};
      expect(env.BOT_MODE, name).toBe('webhook');
      const url = env.BOT_WEBHOOK_URL ?? '';
      expect(url, name).toMatch(/^https:\/\/\$\{DOMAIN[^}]*\}\/tg\/[a-z]+$/);
      const path = url.slice(url.indexOf('}') + 1);
      expect(routes.get(path), `${name}: Caddyfile routes ${path}`).toBe(`${name}:${env.BOT_WEBHOOK_PORT}`);
      expect(service.expose?.map(String), name).toEqual([env.BOT_WEBHOOK_PORT]);
    }
  });

  it('sends everything else on DOMAIN to the webhooks service and admin.DOMAIN to the admin API', () => {
    const webhooks = compose.services.webhooks!.environment!;
    expect(routes.get('*')).toBe(`webhooks:${webhooks.WEBHOOKS_PORT}`);
    expect(webhooks.WEBHOOKS_TRUST_PROXY).toBe('true');
    const admin = compose.services['admin-api']!.environment!;
    expect(caddyfile).toMatch(new RegExp(`admin\\.\\{\\$DOMAIN\\} \\{[^}]*reverse_proxy admin-api:${admin.ADMIN_API_PORT}`));
    expect(compose.services.caddy?.volumes).toContain('./ops/caddy/Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  it('adds Prometheus and Grafana in the monitoring profile only, provisioned from files in the repo', () => {
    const monitoring = all.filter(([, s]) => s.profiles?.includes('monitoring')).map(([n]) => n);
    expect(monitoring.sort()).toEqual(['grafana', 'prometheus']);
    for (const name of monitoring) {
      for (const volume of compose.services[name]!.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(join(root, source)), `${name} mounts ${source}`).toBe(true);
      }
    }
    // Everything else starts without a profile.
    for (const [name, service] of all) if (!monitoring.includes(name)) expect(service.profiles, name).toBeUndefined();
  });

  it("backs up from the worker to a volume of its own, with a pg_dump of the server's major version in the image", () => {
    const worker = compose.services.worker!;
    const dir = worker.environment?.BACKUP_DIR ?? '';
    expect(worker.volumes).toContain(`backups:${dir}`);
    expect(composeText).toMatch(/^volumes:[\s\S]*^ {2}backups:/m);
    // pg_dump refuses a server newer than itself: the client the image installs is the server's major.
    const serverMajor = /postgres:(\d+)/.exec(compose.services.postgres?.image ?? '')?.[1];
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(serverMajor).toBeDefined();
    expect(dockerfile).toContain(`ARG PG_MAJOR=${serverMajor}`);
    expect(dockerfile).toContain('postgresql-client-${PG_MAJOR}');
    // The image's user can write to the mount point (a new named volume takes its owner).
    expect(dockerfile).toContain(`install -d -o node -g node ${dir}`);
    expect(envExample).toContain('BACKUP_CRON');
  });
});
