import type { DoctorAnswer, Producers } from '@vpn/queues';
import type { LiveFinding } from './diagnose.js';

/**
 * How long the doctor waits for the worker's live read of the panel: the worker gives the panel
 * 3 s (login and retries included), plus the queue's round trip. Past it the doctor answers
 * from the database and says the live check could not be made.
 */
export const DOCTOR_WAIT_MS = 5_000;

/**
 * Asks the worker to read the customer's account from its panel (the `doctor` job: the client
 * bot holds no panel credentials and never calls a panel, ARCHITECTURE.md) and waits for the
 * job's answer, at most `waitMs`. Never throws: no answer is an answer (`no_answer`).
 */
export async function askWorkerToCheck(
  producers: Pick<Producers, 'doctor'>,
  subscriptionId: number,
  waitMs: number = DOCTOR_WAIT_MS,
): Promise<LiveFinding> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const job = await producers.doctor.add({ subscriptionId, requestedAt: new Date().toISOString() });
    // Settled either way, so a late answer after the wait never becomes an unhandled rejection.
    const answered = job.finished().then(
      (answer: DoctorAnswer | undefined): LiveFinding => answer?.verdict ?? 'no_answer',
      (): LiveFinding => 'no_answer',
    );
    const waited = new Promise<LiveFinding>((resolve) => {
      timer = setTimeout(() => resolve('no_answer'), waitMs);
    });
    return await Promise.race([answered, waited]);
  } catch {
    return 'no_answer';
  } finally {
    clearTimeout(timer);
  }
}
