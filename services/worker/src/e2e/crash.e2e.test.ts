import { describe, expect, it } from 'vitest';
import type { CrashStep } from '../deps.js';
import { useE2eHarness } from '../testing/e2e-harness.js';
import { expectSettledOnce } from '../testing/settled-once.js';

const h = useE2eHarness();

// Every step of settlement at which a worker can die: before it touches anything, with all the
// writes made but not committed, committed but the outbox not dispatched, and jobs enqueued but
// the outbox rows not marked done. After a restart: paid once, extended once, told once.
const STEPS: CrashStep[] = ['settlement:before-settle', 'settlement:before-commit', 'settlement:after-commit', 'outbox:after-enqueue'];

describe('a worker SIGKILLed during settlement', () => {
  it.each(STEPS)('at %s: the restarted worker completes it exactly once', async (step) => {
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.checkout(user, plan);
    const doomed = await h.startWorker({ WORKER_CRASH_AT: step });
    const before = Date.now();
    h.cryptoPay.pay(invoiceId);
    const ended = await doomed.exited;
    expect(ended.signal).toBe('SIGKILL');
    const committed = step === 'settlement:after-commit' || step === 'outbox:after-enqueue';
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe(committed ? 'succeeded' : 'pending');

    const worker = await h.startWorker();
    await expectSettledOnce(h, user, paymentId, before);
    await worker.stop();
  });
});
