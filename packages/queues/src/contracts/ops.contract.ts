import { defineQueue } from '../contract.js';
import { tickSchema } from './ids.schema.js';

/**
 * `backup`: `pg_dump -Fc` of the database into BACKUP_DIR, then the retention policy (7 daily,
 * 4 weekly). One attempt: a failed run is logged and alerted and the next tick tries again; a
 * run while another is under way (any replica) is skipped under an advisory lock.
 */
export const backupQueue = defineQueue({
  name: 'backup',
  schema: tickSchema,
  defaults: { attempts: 1, removeOnComplete: true },
});
