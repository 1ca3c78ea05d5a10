import type { Database } from '@vpn/db';
import type { PaymentProviders } from '@vpn/payments';
import type { PayloadOf, Processor, Producers, QueueFactory, reconcilePaymentsQueue } from '@vpn/queues';
import { createProviderPacer, providerPace, type ProviderPace } from '../payments/paced.js';
import { reconcileClosed, type ClosedFindings, type DayCursor } from '../payments/reconcile-closed.js';
import { keyedSweepCursors } from '../sweeps/sweep-cursor.js';
import { reconcilePending } from '../payments/reconcile-pending.js';

export interface ReconcileDeps {
  db: Pick<Database, 'repos'>;
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  producers: Pick<Producers, 'settlement'>;
  /** Where the walks stopped is kept between runs (`sweepCursor`). */
  queues: Pick<QueueFactory, 'redis' | 'prefix'>;
  clock?: () => Date;
  /** How hard each provider may be read (default `providerPace`). */
  paceOf?: (provider: string) => ProviderPace;
}

const DAY_MS = 86_400_000;
/** Ids kept per finding in the audit row; the counts are always complete. */
const AUDIT_IDS = 200;

/** The UTC days to reconcile: the one asked for, or yesterday and today (the scheduler's run). */
function daysOf(day: string | undefined, now: Date): string[] {
  if (day) return [day];
  const today = now.toISOString().slice(0, 10);
  return [new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10), today];
}

/**
 * `reconcile-payments` (daily). Every payment of ours still pending, whatever its age, is read
 * from its provider and settled through the normal path if the provider has decided it
 * (`reconcilePending`, by a cursor carried between runs). Then, for each UTC `day` (the one in
 * the payload, else yesterday and today), the day's closed payments are compared with their
 * providers (`reconcileClosed`): a success we have as failed/cancelled becomes a late success, a
 * refund made at the provider refunds the payment in the ledger, and anything else that
 * disagrees is reported. Providers are read side by side, each at its own bounded concurrency and
 * rate (`providerPace`). A day with more closed payments than a run reads is carried to the next
 * runs from where each stopped (`keyedSweepCursors`) until it is done. Each finding is a log line of its own; each day gets a summary line and
 * one audit entry (`payments.reconciled`, entity `reconciliation`, id = the day).
 */
export function createReconcilePaymentsProcessor(deps: ReconcileDeps): Processor<PayloadOf<typeof reconcilePaymentsQueue>> {
  const now = deps.clock ?? (() => new Date());
  return async (payload, { log }) => {
    const at = now();
    // One pacer for the whole run: the pending reads and the days' reads share each provider's rate.
    const pacer = createProviderPacer(deps.paceOf ?? providerPace);
    const counts = await reconcilePending({ ...deps, pacer }, at, log);
    const days: Record<string, ClosedFindings> = {};
    // Days bigger than a run's reads go on where the last run stopped, before the days of this run.
    const open = keyedSweepCursors<DayCursor>(deps.queues, 'reconcile-closed', ['createdAt']);
    const carried = (await open.unfinished()).sort();
    for (const day of new Set([...carried, ...daysOf(payload.day, at)])) {
      const from = new Date(`${day}T00:00:00.000Z`);
      const found = await reconcileClosed({ ...deps, pacer }, from, new Date(from.getTime() + DAY_MS), at, log, await open.read(day));
      await open.write(day, found.next);
      days[day] = found;
      const summary = {
        day,
        checked: found.checked,
        agreed: found.agreed,
        lateSuccess: found.lateSuccess.length,
        refunded: found.refunded.length,
        disagreements: found.disagreements.length,
        unreadable: found.unreadable.length,
        // False: the day had more than a run reads; the next run goes on from where this one stopped.
        complete: found.next === undefined,
      };
      const clean = found.lateSuccess.length + found.refunded.length + found.disagreements.length + found.unreadable.length === 0;
      // The summary only: each finding had a line of its own (a day of findings in one line was 900 KB).
      log[clean ? 'info' : 'warn'](summary, 'reconciliation: closed payments compared with the providers');
      const cap = <T>(list: T[]) => list.slice(0, AUDIT_IDS);
      await deps.db.repos.auditLog.append({
        actorKind: 'system',
        action: 'payments.reconciled',
        entity: 'reconciliation',
        entityId: day,
        data: {
          ...summary,
          pending: counts,
          lateSuccessIds: cap(found.lateSuccess),
          refundedIds: cap(found.refunded),
          disagreementsList: cap(found.disagreements),
          unreadableIds: cap(found.unreadable),
        },
      });
    }
    log.info(counts, 'payments reconciled');
    return {
      ...counts,
      days: Object.fromEntries(
        Object.entries(days).map(([d, f]) => [
          d,
          { checked: f.checked, lateSuccess: f.lateSuccess.length, refunded: f.refunded.length, disagreements: f.disagreements.length },
        ]),
      ),
    };
  };
}
