import type { VpnAccount } from '../models/index.js';
import { subscriptionToken } from '../subscription-token.js';
import { queryRows, type RepoDeps, type TxOptions } from './base.js';

export interface VpnAccountDesired {
  subscriptionId: number;
  serverId: number;
  panelUserKey: string;
  /** The subscription version the panel should be made to reflect. */
  desiredVersion: number;
}

/** What a successful panel call returns; only given fields are overwritten. */
export interface VpnAccountSynced {
  version: number;
  panelId?: string | null;
  subscriptionUrl?: string | null;
  links?: string[];
  /** Contains a private key: stored encrypted, returned decrypted. */
  wireguardConfig?: string | null;
}

/**
 * Panel accounts. Everything that grants access is encrypted at rest and decrypted on the way
 * out: `subscription_url`, `links` (the JSON array as one ciphertext, NULL when empty) and
 * `wireguard_config` (a private key). `subscription_token_hash` is a keyed hash of the link's
 * token so staff can still find a customer by link (`users.search`); it never leaves this module.
 */
export function createVpnAccountsRepository({ sequelize, cipher }: RepoDeps) {
  type Stored = Omit<VpnAccount, 'links'> & { links: string | null; subscriptionTokenHash?: string | null };
  const decode = ({ subscriptionTokenHash: _hash, ...a }: Stored): VpnAccount => ({
    ...a,
    subscriptionUrl: a.subscriptionUrl === null ? null : cipher.decrypt(a.subscriptionUrl),
    links: a.links === null ? [] : (JSON.parse(cipher.decrypt(a.links)) as string[]),
    wireguardConfig: a.wireguardConfig === null ? null : cipher.decrypt(a.wireguardConfig),
  });
  const rows = async (sql: string, bind: unknown[], opts: TxOptions) => (await queryRows<Stored>(sequelize, sql, bind, opts)).map(decode);
  const one = async (sql: string, bind: unknown[], opts: TxOptions) => (await rows(sql, bind, opts))[0] ?? null;
  const encUrl = (url: string | null | undefined) => (url ? cipher.encrypt(url) : null);
  const tokenHash = (url: string | null | undefined) => (url ? cipher.digest(subscriptionToken(url)) : null);
  const encLinks = (links: readonly string[] | undefined) => (links && links.length > 0 ? cipher.encrypt(JSON.stringify(links)) : null);

  return {
    async get(id: number, opts: TxOptions = {}): Promise<VpnAccount | null> {
      return one('SELECT * FROM vpn_accounts WHERE id = $1', [id], opts);
    },
    async findBySubscription(subscriptionId: number, opts: TxOptions = {}): Promise<VpnAccount[]> {
      return rows('SELECT * FROM vpn_accounts WHERE subscription_id = $1 ORDER BY id', [subscriptionId], opts);
    },
    async findByServerKey(serverId: number, panelUserKey: string, opts: TxOptions = {}): Promise<VpnAccount | null> {
      return one('SELECT * FROM vpn_accounts WHERE server_id = $1 AND panel_user_key = $2', [serverId, panelUserKey], opts);
    },
    /** `SELECT ... FOR UPDATE`: serialises provisioning of one account across worker replicas. */
    async lockForUpdate(id: number, opts: Required<TxOptions>): Promise<VpnAccount | null> {
      return one('SELECT * FROM vpn_accounts WHERE id = $1 FOR UPDATE', [id], opts);
    },
    /**
     * Creates the account row for (server, key) or raises its desired version; either way it is
     * marked `pending` for the provisioner. The desired version never goes backwards.
     */
    async upsertDesired(input: VpnAccountDesired, opts: TxOptions = {}): Promise<VpnAccount> {
      const row = await one(
        `INSERT INTO vpn_accounts (subscription_id, server_id, panel_user_key, desired_version)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (server_id, panel_user_key) DO UPDATE SET
           desired_version = GREATEST(vpn_accounts.desired_version, EXCLUDED.desired_version),
           sync_state = CASE WHEN vpn_accounts.sync_state IN ('deleting', 'deleted') OR vpn_accounts.synced_version IS NULL
             OR vpn_accounts.synced_version < EXCLUDED.desired_version THEN 'pending'::vpn_sync_state ELSE vpn_accounts.sync_state END,
           updated_at = now()
         RETURNING *`,
        [input.subscriptionId, input.serverId, input.panelUserKey, input.desiredVersion],
        opts,
      );
      return row!;
    },
    /** Records a successful sync of `version`; an older version arriving late never overwrites a newer one. */
    async markSynced(id: number, synced: VpnAccountSynced, opts: TxOptions = {}): Promise<VpnAccount | null> {
      const wg =
        synced.wireguardConfig === undefined ? undefined : synced.wireguardConfig === null ? null : cipher.encrypt(synced.wireguardConfig);
      return one(
        `UPDATE vpn_accounts SET
           synced_version = $2,
           sync_state = CASE WHEN desired_version > $2 THEN 'pending'::vpn_sync_state ELSE 'synced'::vpn_sync_state END,
           panel_id = CASE WHEN $3 THEN $4 ELSE panel_id END,
           subscription_url = CASE WHEN $5 THEN $6 ELSE subscription_url END,
           subscription_token_hash = CASE WHEN $5 THEN $11 ELSE subscription_token_hash END,
           links = CASE WHEN $7 THEN $8 ELSE links END,
           wireguard_config = CASE WHEN $9 THEN $10 ELSE wireguard_config END,
           last_synced_at = now(), last_error = NULL, updated_at = now()
         WHERE id = $1 AND (synced_version IS NULL OR synced_version <= $2) AND sync_state NOT IN ('deleting', 'deleted')
         RETURNING *`,
        [
          id,
          synced.version,
          synced.panelId !== undefined,
          synced.panelId ?? null,
          synced.subscriptionUrl !== undefined,
          encUrl(synced.subscriptionUrl),
          synced.links !== undefined,
          encLinks(synced.links),
          wg !== undefined,
          wg ?? null,
          tokenHash(synced.subscriptionUrl),
        ],
        opts,
      );
    },
    /**
     * Records that key reissue `requestId` is starting (committed before the panel is called, so
     * a job that dies mid-call is known to have maybe rotated the key). Returns the row.
     */
    async startReissue(id: number, requestId: string, opts: TxOptions = {}): Promise<VpnAccount | null> {
      return one('UPDATE vpn_accounts SET reissue_request = $2, updated_at = now() WHERE id = $1 RETURNING *', [id, requestId], opts);
    },
    /**
     * Stores the new key of reissue `requestId` and counts it, once: a second call for the same
     * request (or one that was superseded) changes nothing and returns null.
     */
    async completeReissue(
      id: number,
      requestId: string,
      key: Pick<VpnAccountSynced, 'panelId' | 'subscriptionUrl' | 'links' | 'wireguardConfig'>,
      opts: TxOptions = {},
    ): Promise<VpnAccount | null> {
      const wg = key.wireguardConfig ? cipher.encrypt(key.wireguardConfig) : null;
      return one(
        `UPDATE vpn_accounts SET
           panel_id = COALESCE($3, panel_id), subscription_url = $4, links = $5, wireguard_config = $6, subscription_token_hash = $7,
           reissued_request = $2, reissue_count = reissue_count + 1, last_error = NULL, updated_at = now()
         WHERE id = $1 AND reissue_request = $2 AND reissued_request IS DISTINCT FROM $2
         RETURNING *`,
        [id, requestId, key.panelId ?? null, encUrl(key.subscriptionUrl), encLinks(key.links), wg, tokenHash(key.subscriptionUrl)],
        opts,
      );
    },
    async markFailed(id: number, error: string, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        "UPDATE vpn_accounts SET sync_state = CASE WHEN sync_state = 'deleting' THEN sync_state ELSE 'failed' END, last_error = $2, updated_at = now() WHERE id = $1 RETURNING id",
        [id, error.slice(0, 2000)],
        opts,
      );
    },
    /** Asks the provisioner to remove the panel user (subscription ended or moved). */
    async markDeleting(id: number, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        "UPDATE vpn_accounts SET sync_state = 'deleting', updated_at = now() WHERE id = $1 AND sync_state <> 'deleted' RETURNING id",
        [id],
        opts,
      );
    },
    async markDeleted(id: number, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        "UPDATE vpn_accounts SET sync_state = 'deleted', last_error = NULL, last_synced_at = now(), updated_at = now() WHERE id = $1 RETURNING id",
        [id],
        opts,
      );
    },
    /** Accounts the reconciler should retry: pending, failed or deleting, oldest first. */
    async listNeedingSync(limit = 100, opts: TxOptions = {}): Promise<VpnAccount[]> {
      return rows(
        "SELECT * FROM vpn_accounts WHERE sync_state IN ('pending', 'failed', 'deleting') ORDER BY updated_at, id LIMIT $1",
        [limit],
        opts,
      );
    },
    /** The server's accounts (not deleted) with these panel user keys: one page of a panel, in one statement. */
    async listByServerKeys(serverId: number, keys: readonly string[], opts: TxOptions = {}): Promise<VpnAccount[]> {
      if (keys.length === 0) return [];
      return rows(
        "SELECT * FROM vpn_accounts WHERE server_id = $1 AND panel_user_key = ANY($2::text[]) AND sync_state <> 'deleted'",
        [serverId, keys],
        opts,
      );
    },
    /** How many accounts (not deleted) the server holds. */
    async countByServer(serverId: number, opts: TxOptions = {}): Promise<number> {
      const [row] = await queryRows<{ n: number }>(
        sequelize,
        "SELECT count(*)::int AS n FROM vpn_accounts WHERE server_id = $1 AND sync_state <> 'deleted'",
        [serverId],
        opts,
      );
      return row?.n ?? 0;
    },
    /** Synced accounts of one server (usage sync and reconciliation walk them in pages). */
    async listByServer(serverId: number, options: { afterId?: number; limit?: number } = {}, opts: TxOptions = {}): Promise<VpnAccount[]> {
      return rows(
        "SELECT * FROM vpn_accounts WHERE server_id = $1 AND id > $2 AND sync_state <> 'deleted' ORDER BY id LIMIT $3",
        [serverId, options.afterId ?? 0, options.limit ?? 500],
        opts,
      );
    },
  };
}

export type VpnAccountsRepository = ReturnType<typeof createVpnAccountsRepository>;
