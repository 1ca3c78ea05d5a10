import { createDatabase, ensureDatabase, seedDefaults } from '@vpn/db';

/** The client bot's bench schema: recreated, migrated and seeded (plans, FAQ) on every run. */
export const SCHEMA = 'bench_client';

export async function prepareDatabase(url: string): Promise<void> {
  await ensureDatabase(url);
  // Migrations and seeding read nothing secret; any well-formed key will do.
  const db = createDatabase({ url, schema: SCHEMA, encryptionKey: '00'.repeat(32), poolMax: 2 });
  try {
    await db.sequelize.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await db.sequelize.query(`CREATE SCHEMA "${SCHEMA}"`);
    await db.migrator().up();
    await seedDefaults(db);
  } finally {
    await db.close();
  }
}
