import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knownKeys } from '@vpn/config';

// There is no Docker engine on the development machines, so the compose file is checked here:
// every command must exist as a package script and every variable must be known to the config.
const root = join(import.meta.dirname, '..');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

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
// Set by the official postgres/redis images, not by our processes.
const infraOnly = new Set(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB']);

describe('docker-compose.yml', () => {
  const scripts = packageScripts();

  it('runs one service per process plus the one-shot migration', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'migrate', 'webhooks', 'worker', 'client-bot']),
    );
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

  it('probes each process on the port it answers /healthz on', () => {
    for (const [name, service] of ours) {
      if (name === 'migrate') continue;
      const probe = ((service as { healthcheck?: { test?: string[] } }).healthcheck?.test ?? []).join(' ');
      const port = /127\.0\.0\.1:(\d+)\/healthz/.exec(probe)?.[1];
      const env = service.environment ?? {};
      expect(port, name).toBe(name === 'webhooks' ? env.WEBHOOKS_PORT : env.HEALTH_PORT);
    }
  });

  it('keeps Redis data with append-only persistence and restarts long-running services', () => {
    expect(compose.services.redis?.command?.join(' ')).toContain('--appendonly yes');
    for (const [name, service] of ours) {
      if (name === 'migrate') continue;
      expect((service as { restart?: string }).restart, name).toBe('unless-stopped');
      expect((service as { healthcheck?: unknown }).healthcheck, name).toBeDefined();
    }
  });
});
