import type { SecretCipher } from '../crypto.js';
import { subscriptionToken } from '../subscription-token.js';
import type { MigrationFn } from './sql-migration.js';

/**
 * Subscription links and share links grant access, so they are encrypted at rest like WireGuard
 * configs (issue 13 item 6): `subscription_url` holds ciphertext, `links` becomes TEXT holding
 * the ciphertext of the JSON array (NULL = no links). Staff search by link through
 * `subscription_token_hash`, a keyed hash of the link's token (see `subscriptionToken`), with a
 * hash index; the index on the plain link goes. Existing rows are rewritten in pages of 500 with
 * the `ENCRYPTION_KEY` cipher; `down` decrypts them back.
 */
const PAGE = 500;

function needCipher(cipher: SecretCipher | undefined): SecretCipher {
  if (!cipher) throw new Error('202612081100-encrypt-account-links needs ENCRYPTION_KEY (run it through createDatabase().migrator())');
  return cipher;
}

interface Row {
  id: string;
  subscription_url: string | null;
  links: unknown;
}

export const up: MigrationFn = async ({ context: { sequelize, cipher } }) => {
  await sequelize.transaction(async (transaction) => {
    await sequelize.query(
      `ALTER TABLE vpn_accounts ADD COLUMN links_encrypted TEXT, ADD COLUMN subscription_token_hash TEXT;
       DROP INDEX IF EXISTS vpn_accounts_subscription_url_idx;`,
      { transaction },
    );
    for (let after = '0'; ;) {
      const [rows] = (await sequelize.query(
        `SELECT id, subscription_url, links FROM vpn_accounts
         WHERE id > $1 AND (subscription_url IS NOT NULL OR links <> '[]'::jsonb) ORDER BY id LIMIT ${PAGE}`,
        { bind: [after], transaction },
      )) as [Row[], unknown];
      if (rows.length === 0) break;
      const c = needCipher(cipher);
      const links = (r: Row) => (Array.isArray(r.links) && r.links.length > 0 ? c.encrypt(JSON.stringify(r.links)) : null);
      await sequelize.query(
        `UPDATE vpn_accounts a SET subscription_url = v.url, links_encrypted = v.links, subscription_token_hash = v.hash
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(id, url, links, hash) WHERE a.id = v.id`,
        {
          bind: [
            rows.map((r) => r.id),
            rows.map((r) => (r.subscription_url === null ? null : c.encrypt(r.subscription_url))),
            rows.map(links),
            rows.map((r) => (r.subscription_url === null ? null : c.digest(subscriptionToken(r.subscription_url)))),
          ],
          transaction,
        },
      );
      after = rows.at(-1)!.id;
    }
    await sequelize.query(
      `ALTER TABLE vpn_accounts DROP COLUMN links;
       ALTER TABLE vpn_accounts RENAME COLUMN links_encrypted TO links;
       ALTER TABLE vpn_accounts ADD CONSTRAINT vpn_accounts_secrets_encrypted_chk
         CHECK ((subscription_url IS NULL OR subscription_url LIKE 'v1:%') AND (links IS NULL OR links LIKE 'v1:%'));
       CREATE INDEX vpn_accounts_subscription_token_hash_idx ON vpn_accounts USING hash (subscription_token_hash)
         WHERE subscription_token_hash IS NOT NULL;`,
      { transaction },
    );
  });
};

export const down: MigrationFn = async ({ context: { sequelize, cipher } }) => {
  await sequelize.transaction(async (transaction) => {
    await sequelize.query(
      `DROP INDEX IF EXISTS vpn_accounts_subscription_token_hash_idx;
       ALTER TABLE vpn_accounts DROP CONSTRAINT IF EXISTS vpn_accounts_secrets_encrypted_chk;
       ALTER TABLE vpn_accounts ADD COLUMN links_plain JSONB NOT NULL DEFAULT '[]';`,
      { transaction },
    );
    for (let after = '0'; ;) {
      const [rows] = (await sequelize.query(
        `SELECT id, subscription_url, links FROM vpn_accounts
         WHERE id > $1 AND (subscription_url IS NOT NULL OR links IS NOT NULL) ORDER BY id LIMIT ${PAGE}`,
        { bind: [after], transaction },
      )) as [Row[], unknown];
      if (rows.length === 0) break;
      const c = needCipher(cipher);
      await sequelize.query(
        `UPDATE vpn_accounts a SET subscription_url = v.url, links_plain = coalesce(v.links::jsonb, '[]')
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, url, links) WHERE a.id = v.id`,
        {
          bind: [
            rows.map((r) => r.id),
            rows.map((r) => (r.subscription_url === null ? null : c.decrypt(r.subscription_url))),
            rows.map((r) => (typeof r.links === 'string' ? c.decrypt(r.links) : null)),
          ],
          transaction,
        },
      );
      after = rows.at(-1)!.id;
    }
    await sequelize.query(
      `ALTER TABLE vpn_accounts DROP COLUMN links, DROP COLUMN subscription_token_hash;
       ALTER TABLE vpn_accounts RENAME COLUMN links_plain TO links;
       CREATE INDEX vpn_accounts_subscription_url_idx ON vpn_accounts USING hash (subscription_url) WHERE subscription_url IS NOT NULL;`,
      { transaction },
    );
  });
};
