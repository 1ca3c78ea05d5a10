import type { Database } from '@vpn/db';
import { isUsable, PanelError } from '../adapter.js';
import { panelDeadline } from '../http/deadline.js';
import type { ServerPool } from '../pool/server-pool.js';
import { compareUser } from '../reconcile/drift.js';
import { credentialIdentity } from './credential-identity.js';
import { desiredSpec, panelUserKey } from './desired-state.js';

/**
 * What the panel says about a customer's account right now, against the database:
 * - `ok`: the panel holds the account the database describes (same key, same state);
 * - `missing`: the panel has no such user (e.g. a panel that lost its users on a restart);
 * - `different`: another key (UUID, password, WireGuard key) or other dates/limits/switch;
 * - `unusable`: it should work but the panel has it disabled, limited or expired;
 * - `unreachable`: the panel did not answer in time (or refused us): the server's problem;
 * - `no_account`: nothing to compare (no running subscription, or never placed on a server).
 */
export type LiveCheckVerdict = 'ok' | 'missing' | 'different' | 'unusable' | 'unreachable' | 'no_account';

export interface LiveCheckDeps {
  db: Pick<Database, 'repos'>;
  pool: ServerPool;
  keyPrefix?: string;
  now?: () => Date;
}

/** Expiry dates a panel rounds (Marzban keeps whole seconds) are the same within this. */
const EXPIRY_TOLERANCE_MS = 60_000;

/**
 * Reads the customer's account from the panel live, within `budgetMs` for every call (login and
 * retries included), and compares it with the database: the "VPN doesn't work" doctor must not
 * trust a database that says "synced" about a panel that restarted empty. Reads only; the caller
 * re-ensures through the provisioning job (idempotent, the same path as provisioning).
 */
export async function checkAccountLive(deps: LiveCheckDeps, subscriptionId: number, budgetMs: number): Promise<LiveCheckVerdict> {
  const { repos } = deps.db;
  const sub = await repos.subscriptions.get(subscriptionId);
  if (!sub || sub.serverId === null) return 'no_account';
  const now = deps.now?.() ?? new Date();
  const key = panelUserKey(sub.id, deps.keyPrefix);
  const plan = sub.planId === null ? null : await repos.plans.get(sub.planId);
  const desired = desiredSpec(sub, plan, { key, now });
  const account = await repos.vpnAccounts.findByServerKey(sub.serverId, key);
  // Nothing should exist on the panel: the doctor's subscription check already says why.
  if (!desired.enabled) return 'no_account';
  // A running subscription without its row: provisioning never got as far as the panel.
  if (!account) return 'missing';
  const server = await repos.servers.get(sub.serverId);
  if (!server) return 'no_account';
  let user;
  let version: string | null = null;
  try {
    const adapter = await deps.pool.adapterFor(sub.serverId);
    const bounded = panelDeadline(budgetMs);
    // What wg-easy can hold depends on its version (v14 keeps no expiry): not drift to report.
    if (server.panelKind === 'wg-easy') version = (await bounded(() => adapter.connect())).version;
    user = await bounded(() => adapter.getUser(key));
  } catch (error) {
    if (error instanceof PanelError) return 'unreachable';
    throw error;
  }
  if (!user) return 'missing';
  if (!isUsable(user)) return 'unusable';
  const ids = { serverId: sub.serverId, accountId: account.id, subscriptionId: sub.id };
  const drift = compareUser(desired, user, { ...ids, kind: server.panelKind, version, expiryToleranceMs: EXPIRY_TOLERANCE_MS, now });
  if (drift.length > 0 || credentialIdentity(server.panelKind, user) !== credentialIdentity(server.panelKind, account)) return 'different';
  return 'ok';
}
