import type { Logger } from '@vpn/logger';
import type { PayloadOf, Processor, vpnReconcileQueue } from '@vpn/queues';

export type OrphanPolicy = NonNullable<PayloadOf<typeof vpnReconcileQueue>['orphans']>;

/** What one reconciliation run found and did (for the job's return value and tests). */
export interface VpnReconcileSummary {
  /** Drift items found, by kind. */
  found: Record<string, number>;
  /** Servers whose panel could not be read (their drift is unknown this run). */
  unreachable: Array<{ serverId: number; error: string }>;
  /** null when the run only reported. */
  repaired: {
    provisioned: number;
    orphansDisabled: number;
    orphansDeleted: number;
    /** Rows being retired whose panel user was already gone, marked deleted. */
    rowsFinalised: number;
    failures: number;
    leftForOperator: number;
  } | null;
}

/**
 * The port to `@vpn/vpn`'s reconciler: report drift between the database and the panels (a dry
 * run, logged and written to the audit log), then, with `repair`, fix what is safe to fix:
 * everything but panel users we do not know, which `orphans` decides (default: report only).
 */
export interface VpnReconciler {
  run(options: { repair: boolean; orphans: OrphanPolicy; serverId?: number }, log: Logger): Promise<VpnReconcileSummary>;
}

/** `vpn-reconcile`: the scheduled drift report and safe repair; `orphans` is the configured policy. */
export function createVpnReconcileProcessor(deps: {
  vpnReconciler: VpnReconciler;
  orphans: OrphanPolicy;
}): Processor<PayloadOf<typeof vpnReconcileQueue>> {
  return async ({ repair, orphans, serverId }, { log }) =>
    deps.vpnReconciler.run(
      { repair, orphans: orphans ?? deps.orphans, ...(serverId === undefined ? {} : { serverId: Number(serverId) }) },
      log,
    );
}
