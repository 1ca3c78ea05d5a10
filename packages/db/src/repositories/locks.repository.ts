import { queryOne, type RepoDeps } from './base.js';

/**
 * Cluster-wide "one at a time" through PostgreSQL advisory locks: whatever process holds the
 * lock, the others are told it is taken and do not wait. A crashed holder's session ends and its
 * lock with it, so nothing stays locked after a kill.
 */
export function createLocksRepository({ sequelize }: RepoDeps) {
  return {
    /**
     * Runs `fn` while holding the advisory lock `name` (a transaction-scoped lock on a connection
     * kept for the whole run); resolves `{ ran: false }` at once when another session holds it.
     */
    async runExclusive<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
      return sequelize.transaction(async (transaction) => {
        const row = await queryOne<{ locked: boolean }>(sequelize, 'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [name], {
          transaction,
        });
        if (!row?.locked) return { ran: false as const };
        return { ran: true as const, value: await fn() };
      });
    },
  };
}

export type LocksRepository = ReturnType<typeof createLocksRepository>;
