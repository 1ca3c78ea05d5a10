import { queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';

export interface ServerOutage {
  id: number;
  serverId: number;
  startedAt: Date;
  /** The customers on the server were told (once the outage lasted the minimum). */
  notifiedAt: Date | null;
  endedAt: Date | null;
  /** The "back" notices (and any compensation) were given. */
  restoredAt: Date | null;
}

/** Outages of servers, for the customer notices: one open outage per server at a time. */
export function createServerOutagesRepository({ sequelize }: RepoDeps) {
  return {
    /** The server's open outage, opened now if there is none (a race opens one: the unique index). */
    async openFor(serverId: number, opts: TxOptions = {}): Promise<ServerOutage> {
      await queryRows(
        sequelize,
        'INSERT INTO server_outages (server_id) VALUES ($1) ON CONFLICT (server_id) WHERE ended_at IS NULL DO NOTHING RETURNING id',
        [serverId],
        opts,
      );
      const open = await queryOne<ServerOutage>(
        sequelize,
        'SELECT * FROM server_outages WHERE server_id = $1 AND ended_at IS NULL',
        [serverId],
        opts,
      );
      if (!open) throw new Error(`no open outage for server ${serverId}`);
      return open;
    },
    async findOpen(serverId: number, opts: TxOptions = {}): Promise<ServerOutage | null> {
      return queryOne<ServerOutage>(sequelize, 'SELECT * FROM server_outages WHERE server_id = $1 AND ended_at IS NULL', [serverId], opts);
    },
    /** Closed outages whose customers were told of them but not yet that the server is back. */
    async listToRestore(opts: TxOptions = {}): Promise<ServerOutage[]> {
      return queryRows<ServerOutage>(
        sequelize,
        'SELECT * FROM server_outages WHERE ended_at IS NOT NULL AND notified_at IS NOT NULL AND restored_at IS NULL ORDER BY id',
        [],
        opts,
      );
    },
    async markNotified(id: number, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        'UPDATE server_outages SET notified_at = now() WHERE id = $1 AND notified_at IS NULL RETURNING id',
        [id],
        opts,
      );
    },
    /** Ends the outage (the server answered healthy). */
    async close(id: number, opts: TxOptions = {}): Promise<void> {
      await queryRows(sequelize, 'UPDATE server_outages SET ended_at = now() WHERE id = $1 AND ended_at IS NULL RETURNING id', [id], opts);
    },
    async markRestored(id: number, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        'UPDATE server_outages SET restored_at = now() WHERE id = $1 AND restored_at IS NULL RETURNING id',
        [id],
        opts,
      );
    },
    /** Customers whose live VPN account is on the server (active subscription, account not being removed). */
    async affectedUsers(serverId: number, opts: TxOptions = {}): Promise<number[]> {
      const rows = await queryRows<{ userId: number }>(
        sequelize,
        `SELECT DISTINCT s.user_id FROM vpn_accounts a JOIN subscriptions s ON s.id = a.subscription_id
         WHERE a.server_id = $1 AND a.sync_state NOT IN ('deleting', 'deleted') AND s.status = 'active' ORDER BY s.user_id`,
        [serverId],
        opts,
      );
      return rows.map((r) => r.userId);
    },
  };
}

export type ServerOutagesRepository = ReturnType<typeof createServerOutagesRepository>;
