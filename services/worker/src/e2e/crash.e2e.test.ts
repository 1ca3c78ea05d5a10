import { describe, expect, it } from 'vitest';
import type { CrashStep } from '../deps.js';
import { useE2eHarness } from '../testing/e2e-harness.js';

const DAY = 86_400_000;
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
    await h.until(async () => (await h.messagesTo(user)).some((m) => m.includes('Ваш VPN готов')), 30_000, 'the config message');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('succeeded');
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    const days = ((sub?.endsAt?.getTime() ?? 0) - before) / DAY;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.01);
    const [rows] = await h.db.sequelize.query("SELECT count(*)::int AS n FROM subscription_events WHERE kind = 'purchase' AND subscription_id = $1", { bind: [sub!.id] });
    expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);
    const messages = await h.messagesTo(user);
    expect(messages.filter((m) => m.includes('Оплата 199.00 ₽ получена'))).toHaveLength(1);
    expect(messages.filter((m) => m.includes('Ваш VPN готов'))).toHaveLength(1);
    expect(h.panel.userKeys()).toContain(`vpn_s${sub!.id}`);
    await worker.stop();
  });
});
