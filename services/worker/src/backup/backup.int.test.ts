import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  backupFileName,
  createDatabase,
  ensureDatabase,
  MIGRATIONS_TABLE,
  pgDump,
  restoreBackup,
  seedDefaults,
  type Database,
} from '@vpn/db';
import { makePayment, makeServer, makeSubscription, makeUser, TEST_ENCRYPTION_KEY, useTestDatabase } from '@vpn/db/testing';
import { silentLogger } from '@vpn/logger';
import { metrics } from '@vpn/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from './run-backup.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../../..');
const DAY = 86_400_000;

/** The tables a restore must bring back row for row: customers, money, access, catalog, settings, migrations. */
const KEY_TABLES = ['users', 'plans', 'subscriptions', 'payments', 'servers', 'settings', 'faq_items', MIGRATIONS_TABLE];

/** Every row of the key tables, as sorted JSON: two databases equal here hold the same data. */
async function snapshot(db: Pick<Database, 'sequelize'>, schema: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of KEY_TABLES) {
    const [rows] = await db.sequelize.query(`SELECT to_jsonb(t)::text AS row FROM "${schema}"."${table}" t`);
    out[table] = (rows as Array<{ row: string }>).map((r) => r.row).sort();
  }
  return out;
}

/** Runs `fn` on another database of the same server. */
async function onDatabase<T>(url: string, schema: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const other = createDatabase({ url, schema, encryptionKey: TEST_ENCRYPTION_KEY, poolMax: 1 });
  try {
    return await fn(other);
  } finally {
    await other.close();
  }
}

describe('database backups and db:restore', () => {
  const db = useTestDatabase({ truncate: false });
  const log = silentLogger();
  let dir: string;
  const restoreDb = `vpn_restore_${process.pid}_${Date.now().toString(36)}`;
  const restoreUrl = () => {
    const u = new URL(db().url);
    u.pathname = `/${restoreDb}`;
    return u.toString();
  };
  const dropRestoreDb = () => db().sequelize.query(`DROP DATABASE IF EXISTS "${restoreDb}" WITH (FORCE)`);
  /** `pnpm db:restore …` as the README shows it; resolves with its exit code and last log line. */
  const restore = async (...args: string[]) => {
    const env = { ...process.env, DATABASE_URL: db().url, DATABASE_SCHEMA: db().schema, LOG_PRETTY: 'false', NODE_ENV: 'test' };
    const result = await run('pnpm', ['db:restore', ...args], { cwd: root, env }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    const logs = result.stdout.split('\n').filter((l) => l.startsWith('{'));
    return { code: result.code, last: JSON.parse(logs.at(-1) ?? '{}') as Record<string, unknown> };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vpn-backups-'));
    const { repos } = db();
    await seedDefaults(db());
    const server = await makeServer(repos);
    for (let i = 0; i < 3; i++) {
      const user = await makeUser(repos);
      const subscription = await makeSubscription(repos, { userId: user.id, serverId: server.id });
      await makePayment(repos, { userId: user.id, subscriptionId: subscription.id });
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await dropRestoreDb();
  });

  it('writes a pg_dump -Fc file whole, moves the metric, and never runs two at once', { timeout: 60_000 }, async () => {
    const deps = { db: db(), databaseUrl: db().url, dir };
    const [a, b] = await Promise.all([runBackup(deps, log), runBackup(deps, log)]);
    const written = [a, b].filter((r) => r.status === 'written');
    expect(written).toHaveLength(1);
    expect([a, b].filter((r) => r.status === 'skipped')).toEqual([{ status: 'skipped', reason: 'another backup is running' }]);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^vpn-\d{8}T\d{6}Z\.dump$/);
    const gauge = await metrics.backupLastSuccess.get();
    expect(gauge.values[0]?.value).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('a failed dump leaves no file, keeps the metric and fails the job', { timeout: 60_000 }, async () => {
    const before = (await metrics.backupLastSuccess.get()).values[0]?.value;
    const broken = new URL(db().url);
    broken.pathname = '/no_such_database_for_backups';
    const failing = await mkdtemp(join(tmpdir(), 'vpn-backups-fail-'));
    await expect(runBackup({ db: db(), databaseUrl: broken.toString(), dir: failing }, log)).rejects.toThrow(/pg_dump failed/);
    expect(await readdir(failing)).toEqual([]);
    expect((await metrics.backupLastSuccess.get()).values[0]?.value).toBe(before);
    await rm(failing, { recursive: true, force: true });
  });

  it('prunes to 7 daily and 4 weekly after each backup, leaving other files alone', { timeout: 60_000 }, async () => {
    const pruneDir = await mkdtemp(join(tmpdir(), 'vpn-backups-prune-'));
    // Sixty days of older backups (empty stand-ins) and a file that is not a backup.
    const now = new Date(Date.UTC(2026, 11, 7, 2, 30));
    for (let i = 1; i <= 60; i++) await writeFile(join(pruneDir, backupFileName(new Date(now.getTime() - i * DAY))), '');
    await writeFile(join(pruneDir, 'README.txt'), 'not a backup');
    const result = await runBackup({ db: db(), databaseUrl: db().url, dir: pruneDir, now: () => now }, log);
    expect(result).toMatchObject({ status: 'written', file: join(pruneDir, 'vpn-20261207T023000Z.dump') });
    const left = (await readdir(pruneDir)).sort();
    expect(left).toEqual(
      [
        'README.txt',
        ...['20261207', '20261206', '20261205', '20261204', '20261203', '20261202', '20261201'].map((d) => `vpn-${d}T023000Z.dump`),
        // Sundays of the four ISO weeks before (7 Dec 2026 is a Monday).
        ...['20261129', '20261122', '20261115', '20261108'].map((d) => `vpn-${d}T023000Z.dump`),
      ].sort(),
    );
    await rm(pruneDir, { recursive: true, force: true });
  });

  it(
    'pnpm db:restore brings a backup back row for row into an empty database, and refuses a non-empty one without --force',
    { timeout: 240_000 },
    async () => {
      const [file] = (await readdir(dir)).filter((f) => f.endsWith('.dump'));
      const backup = join(dir, file!);
      const restored = await restore(backup, '--to', restoreUrl());
      expect(restored.code).toBe(0);
      expect(restored.last).toMatchObject({ database: restoreDb, replaced: false });
      const source = await snapshot(db(), db().schema);
      expect(source.users).toHaveLength(3);
      expect(source.payments).toHaveLength(3);
      expect(await onDatabase(restoreUrl(), db().schema, (r) => snapshot(r, db().schema))).toEqual(source);

      const refused = await restore(backup, '--to', restoreUrl());
      expect(refused.code).toBe(1);
      expect(refused.last.msg).toMatch(/is not empty .*--force/);
      // Without --to it restores into DATABASE_URL's database: here the live test database, refused too.
      const live = await restore(backup);
      expect(live.code).toBe(1);
      expect(live.last.msg).toMatch(new RegExp(`database ${new URL(db().url).pathname.slice(1)} is not empty`));

      // With --force the same backup replaces what it holds: a row added since is gone again.
      await onDatabase(restoreUrl(), db().schema, (r) => r.sequelize.query(`DELETE FROM "${db().schema}".payments`));
      const forced = await restore(backup, '--to', restoreUrl(), '--force');
      expect(forced.code).toBe(0);
      expect(forced.last).toMatchObject({ replaced: true });
      expect(await onDatabase(restoreUrl(), db().schema, (r) => snapshot(r, db().schema))).toEqual(source);
    },
  );

  it(
    'restores a backup of the public schema, as production has it, into a fresh database (which has a public schema already)',
    { timeout: 120_000 },
    async () => {
      const name = (suffix: string) => {
        const u = new URL(db().url);
        u.pathname = `/${restoreDb}_${suffix}`;
        return u.toString();
      };
      const [source, target] = [name('src'), name('dst')];
      const file = join(dir, 'public.dump');
      try {
        await ensureDatabase(source);
        await onDatabase(source, 'public', async (p) => {
          await p.migrator().up();
          await seedDefaults(p);
        });
        await pgDump({ url: source, schema: 'public', file });
        expect(await restoreBackup({ url: target, file, force: false })).toMatchObject({ replaced: false });
        const [a, b] = await Promise.all([source, target].map((url) => onDatabase(url, 'public', (p) => snapshot(p, 'public'))));
        expect(b).toEqual(a);
        expect(a?.plans?.length).toBeGreaterThan(0);
      } finally {
        for (const suffix of ['src', 'dst']) await db().sequelize.query(`DROP DATABASE IF EXISTS "${restoreDb}_${suffix}" WITH (FORCE)`);
      }
    },
  );
});
