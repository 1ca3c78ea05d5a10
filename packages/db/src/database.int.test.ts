import { describe, expect, it } from 'vitest';
import { createDatabase } from './database.js';
import { TEST_ENCRYPTION_KEY, useTestDatabase } from './testing/index.js';

describe('createDatabase', () => {
  const test = useTestDatabase({ truncate: false });

  it('hands every statement and its duration to onQuery', async () => {
    const seen: Array<[string, number]> = [];
    const db = createDatabase({
      url: test().url,
      schema: test().schema,
      encryptionKey: TEST_ENCRYPTION_KEY,
      poolMax: 1,
      onQuery: (sql, ms) => seen.push([sql, ms]),
    });
    try {
      await db.transaction((transaction) => db.repos.users.lockForUpdate(1, { transaction }));
      const statements = seen.map(([sql]) => sql.replace(/^Execut\w+ \([^)]*\): /, ''));
      expect(statements).toEqual([
        expect.stringMatching(/^START TRANSACTION/),
        'SELECT * FROM users WHERE id = $1 FOR UPDATE',
        expect.stringMatching(/^COMMIT/),
      ]);
      expect(seen.every(([, ms]) => typeof ms === 'number' && ms >= 0)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
