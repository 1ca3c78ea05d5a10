import type { Database } from '@vpn/db';
import type { DriftItem, Reconciler } from '@vpn/vpn';
import type { OrphanPolicy, VpnReconciler } from '../processors/vpn-reconcile.processor.js';

/** Items written to one audit entry at most; the counts always cover all of them. */
const AUDIT_ITEMS = 200;

/**
 * Safe = what makes a panel match what the database already says: create a missing account,
 * provision a running subscription without one, put expiry, limits and the switch back. Panel
 * users the database does not know (orphans) are someone's access: touched only under an
 * explicit policy, never by default. A panel user whose row the database is retiring (moved or
 * deleted subscription) is not unknown: deleting it finishes what the database decided.
 */
export function isSafeRepair(item: DriftItem, orphans: OrphanPolicy): boolean {
  return item.kind !== 'orphan_in_panel' || item.accountId !== null || orphans !== 'report';
}

function countByKind(items: DriftItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}

/** The reconciliation port on `@vpn/vpn`'s reconciler, recording each run in the audit log. */
export function createVpnReconcile(reconciler: Reconciler, db: Pick<Database, 'repos'>): VpnReconciler {
  const audit = (action: string, data: Record<string, unknown>) =>
    db.repos.auditLog.append({ actorKind: 'system', action, entity: 'vpn', data });
  return {
    async run(options, log) {
      const report = await reconciler.report(options.serverId === undefined ? {} : { serverIds: [options.serverId] });
      const found = countByKind(report.items);
      const unreachable = report.servers.flatMap((s) => (s.error ? [{ serverId: s.serverId, error: s.error }] : []));
      const level = report.items.length > 0 || unreachable.length > 0 ? 'warn' : 'info';
      log[level](
        { found, unreachable, servers: report.servers.length },
        report.items.length > 0 ? 'drift between the database and the panels' : 'panels match the database',
      );
      // The first items by name; the audit entry keeps more, the counts cover all.
      for (const item of report.items.slice(0, 50)) log.info({ drift: item }, 'drift');
      await audit('vpn.reconcile.report', {
        generatedAt: report.generatedAt.toISOString(),
        found,
        servers: report.servers,
        items: report.items.slice(0, AUDIT_ITEMS),
        truncated: report.items.length > AUDIT_ITEMS,
      });
      if (!options.repair) return { found, unreachable, repaired: null };

      const safe = report.items.filter((i) => isSafeRepair(i, options.orphans));
      const result = await reconciler.repair(
        { ...report, items: safe },
        { orphans: options.orphans === 'report' ? 'keep' : options.orphans },
      );
      const repaired = {
        provisioned: result.provisioned.length,
        orphansDisabled: result.orphansDisabled.length,
        orphansDeleted: result.orphansDeleted.length,
        rowsFinalised: result.rowsFinalised.length,
        failures: result.failures.length,
        leftForOperator: report.items.length - safe.length,
      };
      for (const failure of result.failures)
        log.warn({ drift: failure.item, error: failure.error }, 'drift not repaired; the next run tries again');
      log.info({ ...repaired, orphans: options.orphans }, 'drift repaired');
      await audit('vpn.reconcile.repair', {
        orphans: options.orphans,
        ...repaired,
        provisionedSubscriptions: result.provisioned,
        orphansDisabledKeys: result.orphansDisabled,
        orphansDeletedKeys: result.orphansDeleted,
        failureDetails: result.failures
          .slice(0, AUDIT_ITEMS)
          .map((f) => ({ kind: f.item.kind, key: f.item.key, serverId: f.item.serverId, error: f.error })),
      });
      return { found, unreachable, repaired };
    },
  };
}
