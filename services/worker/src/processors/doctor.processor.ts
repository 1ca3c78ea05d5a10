import type { DoctorAnswer, PayloadOf, Processor, Producers, doctorQueue } from '@vpn/queues';
import type { Provisioner } from './provisioning.processor.js';

/** How long the panel may take to answer the doctor (login and retries included). */
export const DOCTOR_PANEL_BUDGET_MS = 3_000;
/** A request older than this is not worth a panel call: the client bot stopped waiting long ago. */
const STALE_AFTER_MS = 30_000;

export interface DoctorDeps {
  provisioner: Pick<Provisioner, 'checkLive'>;
  producers: Pick<Producers, 'provisioning'>;
  clock?: () => Date;
}

/**
 * `doctor`: the client bot's "VPN doesn't work" check of the customer's panel account, live (the
 * bot never holds panel credentials, so it asks here and waits for this job's return value). A
 * missing, different or unusable account is re-ensured by the provisioning job (reason `doctor`:
 * forced, since the account row may still say "synced"), once per request; a panel that does not
 * answer within {@link DOCTOR_PANEL_BUDGET_MS} is reported as the server's problem.
 */
export function createDoctorProcessor(deps: DoctorDeps): Processor<PayloadOf<typeof doctorQueue>, DoctorAnswer> {
  return async ({ subscriptionId, requestedAt }, { log, job }) => {
    const now = deps.clock?.() ?? new Date();
    if (now.getTime() - Date.parse(requestedAt) > STALE_AFTER_MS) return { verdict: 'stale' };
    const id = Number(subscriptionId);
    const live = await deps.provisioner.checkLive(id, DOCTOR_PANEL_BUDGET_MS);
    log.info({ subscriptionId: id, live }, 'doctor: panel account checked');
    if (live === 'missing' || live === 'different' || live === 'unusable') {
      await deps.producers.provisioning.add({ subscriptionId: id, version: `doctor-${String(job.id)}`, reason: 'doctor' });
      return { verdict: 'restoring' };
    }
    return { verdict: live };
  };
}
