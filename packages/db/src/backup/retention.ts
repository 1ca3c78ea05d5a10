/**
 * Which backups to keep, as `borg prune --keep-daily 7 --keep-weekly 4` decides: the newest of
 * each of the last 7 days that have one, then the newest of each of 4 more ISO weeks (Monday to
 * Sunday, UTC) not already represented. Everything else goes. Days and weeks without a backup
 * (the worker was down) do not count, so a gap never leaves fewer than 7 + 4 behind.
 */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4 };

export interface BackupFile {
  name: string;
  /** When the dump was taken (from its name, never the file's mtime: a copied file keeps its age). */
  takenAt: Date;
}

const BACKUP_NAME = /^vpn-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.dump$/;

/** `vpn-20261207T023000Z.dump`: sortable, UTC, one per second at most. */
export function backupFileName(at: Date): string {
  return `vpn-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')}.dump`;
}

/** The time in a backup's name; undefined for anything else in the directory (left alone). */
export function parseBackupFileName(name: string): Date | undefined {
  const m = BACKUP_NAME.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 13/32/25:61 over into the next unit: only a name that comes back the same is one.
  return !Number.isNaN(at.getTime()) && backupFileName(at) === name ? at : undefined;
}

const dayKey = (at: Date): string => at.toISOString().slice(0, 10);

/** The Monday (UTC) starting the ISO week of `at`. */
function weekKey(at: Date): string {
  const monday = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return dayKey(monday);
}

/**
 * borg prune's rule: walking newest first, the newest backup of each period is kept unless an
 * earlier rule kept it already (then that period does not count), until `count` are kept.
 */
function keepPerPeriod(sorted: readonly BackupFile[], key: (at: Date) => string, count: number, kept: Set<BackupFile>): void {
  let last: string | undefined;
  let added = 0;
  for (const file of sorted) {
    if (added >= count) return;
    const period = key(file.takenAt);
    if (period === last) continue;
    last = period;
    if (kept.has(file)) continue;
    kept.add(file);
    added++;
  }
}

/** Splits the backups into those to keep and those to delete (both newest first). */
export function planRetention(
  files: readonly BackupFile[],
  policy: RetentionPolicy = DEFAULT_RETENTION,
): { keep: BackupFile[]; remove: BackupFile[] } {
  const sorted = [...files].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const kept = new Set<BackupFile>();
  keepPerPeriod(sorted, dayKey, policy.daily, kept);
  keepPerPeriod(sorted, weekKey, policy.weekly, kept);
  return { keep: sorted.filter((f) => kept.has(f)), remove: sorted.filter((f) => !kept.has(f)) };
}
