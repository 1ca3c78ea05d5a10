import type { Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { Producers } from '@vpn/queues';
import { outageMoveTarget } from '@vpn/vpn';

export interface OutageDeps {
  db: Pick<Database, 'repos'>;
  billing: Pick<Billing, 'staff'>;
  producers: Pick<Producers, 'notifications'>;
  clock?: () => Date;
}

/** Thrown inside the compensation's transaction when it was given already: rolls the extension back. */
class AlreadyCompensated extends Error {}

/**
 * After each health check: a server found down opens an outage (one at a time per server, so a
 * flapping server is one outage); once it has lasted `outage.minMinutes`, the customers whose
 * live account is on it, and only they, get one notice (notifications queue: the transactional
 * lane, once per customer and outage), with a button to move to a healthy server when one has
 * room (the back office's `self.moveOffDownServer`, pressed in the client bot). When a check finds the server healthy the outage ends,
 * and those told get a second notice, with `outage.compensationDays` added once per customer
 * and outage (billing's staff extension, an audit entry by the system). An outage shorter than
 * the minimum ends without a word.
 */
export async function trackOutages(deps: OutageDeps, log: Logger): Promise<{ notified: number; restored: number }> {
  const { repos } = deps.db;
  const now = deps.clock?.() ?? new Date();
  const minMs = (await repos.settings.getKnown('outage.minMinutes')) * 60_000;
  let notified = 0;
  for (const server of await repos.servers.listActive()) {
    if (server.healthStatus === 'down') {
      const outage = await repos.serverOutages.openFor(server.id);
      if (outage.notifiedAt || now.getTime() - outage.startedAt.getTime() < minMs) continue;
      const users = await repos.serverOutages.affectedUsers(server.id);
      // The move is offered only when a healthy server can take the accounts (the press checks again).
      const offer = outageMoveTarget(await repos.servers.listActive(), server.id) !== null;
      // Enqueued before the mark: a crash in between enqueues again, and the notification's own
      // once-only key (user, kind, outage) keeps it to one message.
      for (const userId of users)
        await deps.producers.notifications.add({
          userId,
          kind: 'server_outage',
          reference: `outage:${outage.id}`,
          params: { server: server.name, ...(offer ? { moveOutageId: outage.id } : {}) },
        });
      await repos.serverOutages.markNotified(outage.id);
      log.error(
        { serverId: server.id, server: server.name, outageId: outage.id, customers: users.length },
        'server outage: customers told',
      );
      notified += users.length;
    } else if (server.healthStatus === 'healthy') {
      const open = await repos.serverOutages.findOpen(server.id);
      if (open) await repos.serverOutages.close(open.id);
    }
  }
  let restored = 0;
  const days = await repos.settings.getKnown('outage.compensationDays');
  for (const outage of await repos.serverOutages.listToRestore()) {
    const server = await repos.servers.get(outage.serverId);
    for (const userId of await repos.serverOutages.affectedUsers(outage.serverId)) {
      const given = days > 0 && (await compensate(deps, outage.id, userId, days));
      const params = { server: server?.name ?? '', ...(given ? { days } : {}) };
      await deps.producers.notifications.add({ userId, kind: 'server_restored', reference: `outage:${outage.id}`, params });
      restored++;
    }
    await repos.serverOutages.markRestored(outage.id);
    log.info(
      { serverId: outage.serverId, outageId: outage.id, customers: restored, compensationDays: days },
      'server back: customers told',
    );
  }
  return { notified, restored };
}

/** Adds the days once per customer and outage: the once-key, the extension and the audit entry commit together. */
async function compensate(deps: OutageDeps, outageId: number, userId: number, days: number): Promise<boolean> {
  const { repos } = deps.db;
  try {
    await deps.billing.staff.extend(userId, days, {
      actor: 'system:outage',
      note: `outage ${outageId} compensation`,
      inTransaction: async (transaction) => {
        const first = await repos.sentNotifications.insertOnce(
          { userId, kind: 'outage_compensation', reference: `outage:${outageId}` },
          { transaction },
        );
        if (!first) throw new AlreadyCompensated();
        await repos.auditLog.append(
          { actorKind: 'system', action: 'outage.compensation', entity: 'user', entityId: String(userId), data: { outageId, days } },
          { transaction },
        );
      },
    });
    return true;
  } catch (err) {
    if (err instanceof AlreadyCompensated) return true;
    throw err;
  }
}
