import { sqlMigration } from './sql-migration.js';

/**
 * Key reissue, once per request: `reissue_request` is the request a worker started (set and
 * committed before the panel is called), `reissued_request` the one whose new key is stored, and
 * `reissue_count` how many reissues completed (the customer's notification is keyed by it). A
 * retried job finds its request done and rotates nothing; one that died mid-call finds it started
 * and first looks at the panel before rotating again.
 */
export const { up, down } = sqlMigration(
  `
ALTER TABLE vpn_accounts
  ADD COLUMN reissue_request TEXT,
  ADD COLUMN reissued_request TEXT,
  ADD COLUMN reissue_count INTEGER NOT NULL DEFAULT 0 CHECK (reissue_count >= 0);
`,
  `
ALTER TABLE vpn_accounts
  DROP COLUMN IF EXISTS reissue_count,
  DROP COLUMN IF EXISTS reissued_request,
  DROP COLUMN IF EXISTS reissue_request;
`,
);
