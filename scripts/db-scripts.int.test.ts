import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readEnv } from '@vpn/config';
import { DEFAULT_FAQ, DEFAULT_PLANS, DEFAULT_SETTINGS } from '@vpn/db';
import { createScratchDatabase, TEST_ENCRYPTION_KEY, type ScratchDatabase } from '@vpn/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
// Every migration file, so the test keeps up as migrations are added.
const migrationNames = readdirSync(join(root, 'packages/db/src/migrations'))
  .filter((f) => /^\d{12}-.+\.ts$/.test(f) && !f.includes('.test.'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const migrationCount = migrationNames.length;

describe('database scripts (migrate, seed, create-admin) as real processes', () => {
  // A schema of its own: the scripts migrate it from zero.
  let db: ScratchDatabase;
  const env = () => ({
    ...readEnv(),
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    NODE_ENV: 'test',
  });

  /** Runs a script; resolves with its exit code and the JSON log lines it printed. */
  const script = async (file: string, ...args: string[]) => {
    const result = await run(tsx, [join(root, 'scripts', file), ...args], {
      cwd: root,
      env: env(),
    }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    const logs = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { code: result.code, logs, last: logs.at(-1) ?? {} };
  };
  const counts = async () => {
    const [rows] = await db.sequelize.query(
      'SELECT (SELECT count(*) FROM plans)::int AS plans, (SELECT count(*) FROM faq_items)::int AS faq, (SELECT count(*) FROM settings)::int AS settings, (SELECT count(*) FROM admins)::int AS admins',
    );
    return rows[0];
  };

  beforeAll(async () => {
    db = await createScratchDatabase('scripts');
  });
  afterAll(() => db.destroy());

  it('migrates, seeds twice to the same rows, and creates an admin', { timeout: 120_000 }, async () => {
    const refused = await script('seed.ts');
    expect(refused.code).toBe(1);
    expect(refused.last.msg).toMatch(/migration\(s\) pending.*db:migrate/);

    const up = await script('migrate.ts', 'up');
    expect(up.code).toBe(0);
    expect(up.last.applied).toHaveLength(migrationCount);

    // Every default the seed knows, however many settings the platform has grown.
    const defaults = { plans: DEFAULT_PLANS.length, faq: DEFAULT_FAQ.length, settings: Object.keys(DEFAULT_SETTINGS).length };
    expect(defaults.plans).toBe(4);
    expect((await script('seed.ts')).last.added).toEqual(defaults);
    const once = await counts();
    expect((await script('seed.ts')).last.added).toEqual({ plans: 0, faq: 0, settings: 0 });
    expect(await counts()).toEqual(once);

    const admin = await script('create-admin.ts', '--telegram-id', '7000000001', '--role', 'owner', '--name', 'Anna');
    expect(admin.code).toBe(0);
    expect(await db.repos.admins.findActiveByTelegramId(7_000_000_001)).toMatchObject({
      role: 'owner',
      name: 'Anna',
    });
    expect((await db.repos.auditLog.list({ entity: 'admin' })).map((e) => e.action)).toEqual(['admin.create']);

    // The web dashboard's one-time link for that admin: printed, never logged, good once.
    const link = await run(
      tsx,
      [join(root, 'scripts', 'admin-web-code.ts'), '--telegram-id', '7000000001', '--base-url', 'https://admin.example.com'],
      { cwd: root, env: env() },
    );
    const url = link.stdout.split('\n').find((l) => l.startsWith('https://'));
    expect(url).toMatch(/^https:\/\/admin\.example\.com\/#code=[A-Za-z0-9_-]{24}$/);
    expect(
      link.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .join('\n'),
    ).not.toContain(url!.split('code=')[1]);
    const code = url!.split('code=')[1]!;
    const owner = await db.repos.admins.findActiveByTelegramId(7_000_000_001);
    expect(await db.repos.adminSessions.redeemLoginCode(code, new Date())).toBe(owner!.id);
    expect(await db.repos.adminSessions.redeemLoginCode(code, new Date())).toBeNull();
    const stranger = await script('admin-web-code.ts', '--telegram-id', '7000000999');
    expect(stranger.code).toBe(1);
    expect(stranger.last.msg).toMatch(/no active admin with Telegram id 7000000999/);
  });

  it('reports status, steps down one, down --to a name (that one included), and up again', { timeout: 120_000 }, async () => {
    await script('migrate.ts', 'up');
    const all = await script('migrate.ts', 'status');
    expect(all.code).toBe(0);
    expect(all.last).toMatchObject({ executed: migrationNames, pending: [], msg: `${migrationCount} executed, 0 pending` });

    const last = migrationNames.at(-1)!;
    const one = await script('migrate.ts', 'down');
    expect(one.code).toBe(0);
    expect(one.last.reverted).toEqual([last]);
    expect((await script('migrate.ts', 'status')).last).toMatchObject({ executed: migrationNames.slice(0, -1), pending: [last] });

    // umzug's `to` is inclusive: the named migration is reverted too.
    const target = migrationNames.at(-3)!;
    const to = await script('migrate.ts', 'down', '--to', target);
    expect(to.code).toBe(0);
    expect(to.last.reverted).toEqual([migrationNames.at(-2), target]);
    expect((await script('migrate.ts', 'status')).last).toMatchObject({
      executed: migrationNames.slice(0, -3),
      pending: migrationNames.slice(-3),
    });

    const up = await script('migrate.ts', 'up');
    expect(up.last.applied).toEqual(migrationNames.slice(-3));
    expect((await script('migrate.ts', 'status')).last).toMatchObject({ executed: migrationNames, pending: [] });
    const unknown = await script('migrate.ts', 'sideways');
    expect(unknown.code).toBe(1);
    expect(unknown.last.msg).toMatch(/unknown command "sideways": use up, down/);
  });

  it('refuses bad input with a clear message and changes nothing', { timeout: 60_000 }, async () => {
    const before = await counts();
    const bad = await script('create-admin.ts', '--telegram-id', '12ab', '--role', 'owner');
    expect(bad.code).toBe(1);
    expect(bad.last.msg).toMatch(/--telegram-id must be a positive Telegram user id/);
    const role = await script('create-admin.ts', '--telegram-id', '5', '--role', 'god');
    expect(role.last.msg).toMatch(/--role must be one of owner, admin, finance, support, marketing, viewer/);
    expect(await counts()).toEqual(before);
  });
});
