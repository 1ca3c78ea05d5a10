import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { backupFileName, parseBackupFileName, pgDump, planRetention, type Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { metrics } from '@vpn/metrics';

export interface BackupDeps {
  db: Pick<Database, 'schema' | 'repos'>;
  /** The worker's DATABASE_URL: pg_dump connects with it (its password through PGPASSWORD). */
  databaseUrl: string;
  /** BACKUP_DIR: a volume of its own in compose. */
  dir: string;
  now?: () => Date;
}

export type BackupResult =
  { status: 'written'; file: string; bytes: number; removed: string[] } | { status: 'skipped'; reason: 'another backup is running' };

/** The backups in `dir`, by the time in their names (anything else there is left alone). */
export async function listBackups(dir: string): Promise<Array<{ name: string; takenAt: Date }>> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return names.flatMap((name) => {
    const takenAt = parseBackupFileName(name);
    return takenAt ? [{ name, takenAt }] : [];
  });
}

/**
 * One backup: `pg_dump -Fc` of the schema into `<name>.partial`, renamed when whole (a crash
 * never leaves a file that looks like a backup and is not), then the retention policy (7 daily,
 * 4 weekly) deletes what it no longer keeps. Never two at once, whichever replica runs it: the
 * advisory lock `backup` is held for the whole run, a second run is skipped. The metric
 * `backup_last_success_timestamp_seconds` moves only when a file was written whole; a failure is
 * logged at error and thrown (the job fails), and the alert "backups missing" fires after 26 h.
 */
export async function runBackup(deps: BackupDeps, log: Logger): Promise<BackupResult> {
  const outcome = await deps.db.repos.locks.runExclusive('backup', async (): Promise<BackupResult> => {
    const at = (deps.now ?? (() => new Date()))();
    const name = backupFileName(at);
    const file = join(deps.dir, name);
    const partial = `${file}.partial`;
    await mkdir(deps.dir, { recursive: true });
    try {
      await pgDump({ url: deps.databaseUrl, schema: deps.db.schema, file: partial });
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      log.error({ err: error, file }, 'backup failed');
      throw error;
    }
    const { size } = await stat(file);
    metrics.backupLastSuccess.set(at.getTime() / 1000);
    const { remove } = planRetention(await listBackups(deps.dir));
    for (const old of remove) await rm(join(deps.dir, old.name), { force: true });
    const removed = remove.map((r) => r.name);
    log.info({ file: name, bytes: size, removed }, 'backup written');
    return { status: 'written', file, bytes: size, removed };
  });
  if (!outcome.ran) {
    log.warn('backup skipped: another backup is running');
    return { status: 'skipped', reason: 'another backup is running' };
  }
  return outcome.value;
}

/**
 * At start, the metric says when the newest backup on the volume was taken, so a restarted worker
 * does not look like one that never backed up (the alert compares it with now).
 */
export async function restoreBackupMetric(dir: string): Promise<void> {
  const newest = (await listBackups(dir)).sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime())[0];
  if (newest) metrics.backupLastSuccess.set(newest.takenAt.getTime() / 1000);
}
