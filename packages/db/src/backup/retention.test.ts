import { describe, expect, it } from 'vitest';
import { backupFileName, parseBackupFileName, planRetention, type BackupFile } from './retention.js';

const DAY = 86_400_000;
/** A backup every day at 02:30 UTC for `days` days up to Sunday 2026-12-06. */
const daily = (days: number, end = Date.UTC(2026, 11, 6, 2, 30)): BackupFile[] =>
  Array.from({ length: days }, (_, i) => {
    const takenAt = new Date(end - i * DAY);
    return { name: backupFileName(takenAt), takenAt };
  });
const names = (files: BackupFile[]) => files.map((f) => f.name);

describe('backup retention (7 daily, 4 weekly)', () => {
  it('names backups by their UTC time and reads the time back; other files are not backups', () => {
    const at = new Date('2026-12-07T02:30:05.123Z');
    expect(backupFileName(at)).toBe('vpn-20261207T023005Z.dump');
    expect(parseBackupFileName('vpn-20261207T023005Z.dump')).toEqual(new Date('2026-12-07T02:30:05Z'));
    for (const other of ['vpn-20261207T023005Z.dump.partial', 'notes.txt', 'vpn-20261399T000000Z.dump'])
      expect(parseBackupFileName(other), other).toBeUndefined();
  });

  it('after 60 days of daily backups keeps the last 7 days and the Sundays of 4 earlier weeks', () => {
    const { keep, remove } = planRetention(daily(60));
    expect(names(keep)).toEqual([
      // Sun 6 Dec back to Mon 30 Nov: seven days, two ISO weeks.
      'vpn-20261206T023000Z.dump',
      'vpn-20261205T023000Z.dump',
      'vpn-20261204T023000Z.dump',
      'vpn-20261203T023000Z.dump',
      'vpn-20261202T023000Z.dump',
      'vpn-20261201T023000Z.dump',
      'vpn-20261130T023000Z.dump',
      // The newest of each of the four weeks before: their Sundays.
      'vpn-20261129T023000Z.dump',
      'vpn-20261122T023000Z.dump',
      'vpn-20261115T023000Z.dump',
      'vpn-20261108T023000Z.dump',
    ]);
    expect(remove).toHaveLength(60 - 11);
  });

  it('keeps only the newest of several backups a day', () => {
    const end = Date.UTC(2026, 11, 6, 23, 0);
    const hourly: BackupFile[] = Array.from({ length: 24 * 3 }, (_, i) => {
      const takenAt = new Date(end - i * 3_600_000);
      return { name: backupFileName(takenAt), takenAt };
    });
    expect(names(planRetention(hourly).keep)).toEqual([
      'vpn-20261206T230000Z.dump',
      'vpn-20261205T230000Z.dump',
      'vpn-20261204T230000Z.dump',
    ]);
  });

  it('counts only days that have a backup: a two-week outage removes nothing that would be needed', () => {
    const before = daily(10, Date.UTC(2026, 10, 20, 2, 30));
    const after = daily(2);
    const { keep, remove } = planRetention([...after, ...before]);
    // 6 and 5 Dec, 20 to 16 Nov (the last seven days that have one), then Sunday 15 Nov for its week.
    expect(names(keep)).toEqual([...names(after), ...names(before).slice(0, 5), 'vpn-20261115T023000Z.dump']);
    expect(names(remove)).toEqual(names(before).slice(6));
  });

  it('keeps everything while there are fewer backups than the policy holds', () => {
    expect(planRetention(daily(5)).remove).toEqual([]);
    expect(planRetention([]).keep).toEqual([]);
  });
});
