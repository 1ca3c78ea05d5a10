import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { LiveCheckVerdict } from '@vpn/vpn';
import { PermanentJobError, type PayloadOf, type Processor, type Producers, type provisioningQueue } from '@vpn/queues';

/** What the panel looks like for a subscription after it was made to match the database. */
export interface ProvisionOutcome {
  userId: number;
  /** The account works (subscription running and enabled in the panel). */
  enabled: boolean;
  /** The link the customer imports into their app; null when access is off or the panel has none. */
  subscriptionUrl: string | null;
  /** The panel gave a WireGuard `.conf` (wg-easy): the customer gets the file and its QR, not a link. */
  wireguard: boolean;
  endsAt: Date | null;
}

/** What a key reissue left: the new key's version (reissues completed on the account). */
export interface ReissueOutcome extends Omit<ProvisionOutcome, 'enabled'> {
  version: number;
  /** A newer reissue request took over; it tells the customer itself. */
  superseded: boolean;
}

/**
 * The port to `@vpn/vpn`: make the panel match subscription `subscriptionId` (create, extend,
 * disable), or revoke its key and store the new one once per request. Idempotent; throws the
 * adapter's `PanelError`, whose `retryable` decides whether the job backs off and tries again.
 */
export interface Provisioner {
  provision(subscriptionId: number, reason: string, log: Logger): Promise<ProvisionOutcome>;
  reissue(subscriptionId: number, requestId: string, log: Logger): Promise<ReissueOutcome>;
  /** Reads the account from its panel within `budgetMs` and compares it with the database (the doctor). */
  checkLive(subscriptionId: number, budgetMs: number): Promise<LiveCheckVerdict>;
}

/** Reasons after which access works (again) and the customer should have their config. */
const GRANTING = new Set(['trial', 'purchase', 'renewal', 'referral_bonus', 'grant', 'resume']);

export interface ProvisioningDeps {
  provisioner: Provisioner;
  producers: Pick<Producers, 'notifications'>;
  /** For the customer's id and the operators' alert when no server can take an account. */
  db: Pick<Database, 'repos'>;
}

/** `PlacementError` of `@vpn/vpn`: every server is full, down, drained or failing. */
const noServer = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'no_server';

/**
 * No server can take the account, so setting up will take longer than the "few seconds" the
 * customer was promised: they are told so once per subscription (the link still comes when
 * capacity does: the job keeps retrying), and operators are alerted on the first attempt (an
 * `alert.no_server` audit row, which the admin bot's health shows, and an error log line).
 */
async function reportNoServer(
  deps: ProvisioningDeps,
  subscriptionId: number,
  reason: string,
  error: Error,
  job: { attemptsMade: number },
  log: Logger,
) {
  const sub = await deps.db.repos.subscriptions.get(subscriptionId);
  if (!sub) return;
  if (GRANTING.has(reason)) {
    await deps.producers.notifications.add({
      userId: sub.userId,
      kind: 'provisioning_delayed',
      reference: `sub:${subscriptionId}`,
      params: { subscriptionId },
    });
  }
  if (job.attemptsMade > 0) return;
  log.error({ subscriptionId, reason, err: error.message }, 'no server can take a new account: add capacity or reactivate a server');
  await deps.db.repos.auditLog.append({
    actorKind: 'system',
    action: 'alert.no_server',
    entity: 'subscription',
    entityId: String(subscriptionId),
    data: { subscriptionId, reason, message: error.message },
  });
}

/**
 * `provisioning`: make the panel match the subscription, retried with a capped exponential
 * backoff for as long as the panel does not answer (the contract allows about a day). When it
 * works, the customer is sent their config once per subscription (`subscription_ready`, reference
 * `sub:<id>`: a link, or for WireGuard the `.conf`; sent_notifications keeps it to one message
 * however many replicas, retries or renewals follow). Reason `reissue` revokes the key once per
 * job version (the request id) and sends the new config once per key (`key_reissued`, reference
 * `reissue:<id>:<version>`), also when a retry finds the key already rotated.
 */
export function createProvisioningProcessor(deps: ProvisioningDeps): Processor<PayloadOf<typeof provisioningQueue>> {
  return async ({ subscriptionId, version, reason }, { log, job }) => {
    const id = Number(subscriptionId);
    if (reason === 'reissue') {
      if (version === undefined)
        throw new PermanentJobError(`reissue of subscription ${subscriptionId} without a request id`, 'bad_request');
      const outcome = await deps.provisioner.reissue(id, version, log);
      log.info({ subscriptionId, version, keyVersion: outcome.version, superseded: outcome.superseded }, 'key reissued');
      if (!outcome.superseded && (outcome.subscriptionUrl || outcome.wireguard)) {
        await deps.producers.notifications.add({
          userId: outcome.userId,
          kind: 'key_reissued',
          reference: `reissue:${subscriptionId}:${outcome.version}`,
          params: {
            subscriptionId: id,
            link: outcome.subscriptionUrl,
            wireguard: outcome.wireguard,
            endsAt: outcome.endsAt?.toISOString() ?? null,
          },
        });
      }
      return { reissued: outcome.version };
    }
    const outcome = await deps.provisioner.provision(id, reason, log).catch(async (error: unknown) => {
      if (noServer(error)) await reportNoServer(deps, id, reason, error as Error, job, log);
      throw error;
    });
    log.info({ subscriptionId, version, reason, enabled: outcome.enabled }, 'panel matches the subscription');
    if (GRANTING.has(reason) && outcome.enabled && (outcome.subscriptionUrl || outcome.wireguard)) {
      await deps.producers.notifications.add({
        userId: outcome.userId,
        kind: 'subscription_ready',
        reference: `sub:${subscriptionId}`,
        params: {
          subscriptionId: id,
          link: outcome.subscriptionUrl,
          wireguard: outcome.wireguard,
          endsAt: outcome.endsAt?.toISOString() ?? null,
        },
      });
    }
    return { enabled: outcome.enabled };
  };
}
