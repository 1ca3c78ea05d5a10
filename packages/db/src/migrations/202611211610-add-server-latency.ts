import { sqlMigration } from './sql-migration.js';

/** How long the last health check of a server's panel took (placement and the admin bot show it). */
export const { up, down } = sqlMigration(
  `
ALTER TABLE servers ADD COLUMN latency_ms INTEGER CHECK (latency_ms IS NULL OR latency_ms >= 0);
`,
  `
ALTER TABLE servers DROP COLUMN IF EXISTS latency_ms;
`,
);
