import type { PayloadOf, Processor, backupQueue } from '@vpn/queues';
import { runBackup, type BackupDeps, type BackupResult } from '../backup/run-backup.js';

/** `backup`: one pg_dump into BACKUP_DIR and the retention policy (see `runBackup`). */
export function createBackupProcessor(deps: BackupDeps): Processor<PayloadOf<typeof backupQueue>, BackupResult> {
  return (_tick, { log }) => runBackup(deps, log);
}
