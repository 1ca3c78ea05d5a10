import { describe, expect, it, onTestFinished } from 'vitest';
import type { User } from '@vpn/db';
import type { SavedMethodOutcome } from '@vpn/payments/testing';
import { useWorkerHarness } from '../testing/worker-harness.js';

const DAY = 86_400_000;
const h = useWorkerHarness();

/** A subscription ending in two hours with auto-renew on a saved YooKassa card that will `outcome`. */
async function renewable(outcome: SavedMethodOutcome, patch: { renewalFailures?: number } = {}) {
  const user = await h.customer();
  const plan = await h.plan({ durationDays: 30 });
  const methodId = h.yookassa.addSavedMethod(outcome);
  const endsAt = new Date(Date.now() + 2 * 3_600_000);
  const sub = await h.db.repos.subscriptions.create({
    userId: user.id,
    planId: plan.id,
    status: 'active',
    startsAt: new Date(Date.now() - 28 * DAY),
    endsAt,
    autoRenew: true,
    savedPaymentMethodId: methodId,
    savedPaymentProvider: 'yookassa',
    ...patch,
  });
  return { user, sub, endsAt };
}

async function sweepAndSettle(user: User, expectedMessages: number): Promise<string[]> {
  await h.producers.autoRenew.add({ scope: 'sweep' });
  await h.until(async () => (await h.messagesTo(user)).length >= expectedMessages, 15_000, `${expectedMessages} messages`);
  await new Promise((r) => setTimeout(r, 300));
  return h.messagesTo(user);
}

describe('auto-renew, end to end through the worker', () => {
  it('succeeds: charged once, extended from the current end, told twice (charging, renewed)', async () => {
    const { user, sub, endsAt } = await renewable('succeed');
    const messages = await sweepAndSettle(user, 2);
    const after = await h.db.repos.subscriptions.get(sub.id);
    expect(after?.endsAt?.getTime()).toBe(endsAt.getTime() + 30 * DAY);
    const payments = await h.db.repos.payments.listByUser(user.id);
    expect(payments.map((p) => [p.kind, p.status])).toEqual([['auto_renew', 'succeeded']]);
    expect(messages.some((m) => m.includes('Продлеваем подписку'))).toBe(true);
    expect(messages.some((m) => m.includes('Подписка продлена автоматически'))).toBe(true);
    // A second sweep finds nothing due.
    await h.producers.autoRenew.add({ scope: 'sweep' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.db.repos.payments.listByUser(user.id)).toHaveLength(1);
  });

  it('declined once: payment failed, a retry in 24 hours, the customer told, access unchanged', async () => {
    const { user, sub, endsAt } = await renewable('insufficient_funds');
    const messages = await sweepAndSettle(user, 2);
    const after = await h.db.repos.subscriptions.get(sub.id);
    expect(after?.endsAt?.getTime()).toBe(endsAt.getTime());
    expect(after?.autoRenew).toBe(true);
    expect(after?.renewalFailures).toBe(1);
    expect((after?.nextRenewalAttemptAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    // A real decline by the provider (the card's funds), not a request we got wrong.
    expect((await h.db.repos.payments.listByUser(user.id)).map((p) => [p.status, p.failureReason])).toEqual([
      ['failed', 'insufficient_funds'],
    ]);
    expect(messages.some((m) => m.includes('Повторим попытку'))).toBe(true);
  });

  it('declined the second time: auto-renew off, the customer told', async () => {
    const { user, sub } = await renewable('insufficient_funds', { renewalFailures: 1 });
    const messages = await sweepAndSettle(user, 2);
    const after = await h.db.repos.subscriptions.get(sub.id);
    expect(after?.autoRenew).toBe(false);
    expect(messages.some((m) => m.includes('Автопродление отключено'))).toBe(true);
  });
});

describe('auto-renew when the provider itself fails (issue 11 item 8)', () => {
  /** The retry after a provider failure is due: as if its time had come. */
  const retryDueNow = (subscriptionId: number) =>
    h.db.repos.subscriptions.update(subscriptionId, { nextRenewalAttemptAt: new Date(Date.now() - 1_000) });

  async function sweepOnce(): Promise<void> {
    const queue = h.queues.queue(h.producers.autoRenew.contract);
    const before = await queue.getCompletedCount();
    await h.producers.autoRenew.add({ scope: 'sweep' });
    // The sweep and its attempt job.
    await h.until(async () => (await queue.getCompletedCount()) >= before + 2, 15_000, 'sweep and attempt');
    await new Promise((r) => setTimeout(r, 300));
  }

  for (const failure of ['rotated key (401)', 'recurring payments switched off (403)'] as const) {
    it(`${failure}: auto-renew stays on, nothing counted or told, operators alerted, retried after the fix`, async () => {
      const { user, sub, endsAt } = await renewable('succeed');
      const rotated = failure.startsWith('rotated');
      if (rotated) h.yookassa.rotateSecretKey();
      else h.yookassa.setRecurring(false);
      const fix = () => (rotated ? h.yookassa.setSecretKey(h.yookassa.secretKey) : h.yookassa.setRecurring(true));
      onTestFinished(fix);

      // Two sweeps with the provider broken: on main, the second switched auto-renew off and told the customer the card failed.
      await sweepOnce();
      await retryDueNow(sub.id);
      await sweepOnce();
      const broken = await h.db.repos.subscriptions.get(sub.id);
      expect(broken?.autoRenew).toBe(true);
      expect(broken?.renewalFailures).toBe(0);
      expect(broken?.endsAt?.getTime()).toBe(endsAt.getTime());
      const told = await h.messagesTo(user);
      expect(told.some((m) => m.includes('Повторим попытку') || m.includes('Автопродление отключено'))).toBe(false);
      const alerts = (await h.db.repos.auditLog.list({ actorKind: 'system', actionPrefix: 'alert.renewal_provider_failed' })).filter(
        (a) => a.entityId === 'yookassa',
      );
      // One alert an hour per provider, however many customers fail: the first test's stands for both.
      expect(alerts).toHaveLength(1);
      const refused = (await h.db.repos.payments.listByUser(user.id)).map((p) => [p.status, p.failureReason]);
      const reason = rotated ? 'provider:invalid_credentials' : 'provider:forbidden';
      expect(refused).toEqual([
        ['failed', reason],
        ['failed', reason],
      ]);

      // The operator fixes it; the next try charges and renews once.
      fix();
      await retryDueNow(sub.id);
      await sweepOnce();
      await h.until(
        async () => (await h.db.repos.subscriptions.get(sub.id))?.endsAt?.getTime() === endsAt.getTime() + 30 * DAY,
        10_000,
        'renewed after the fix',
      );
      const payments = await h.db.repos.payments.listByUser(user.id);
      expect(payments.filter((p) => p.status === 'succeeded')).toHaveLength(1);
      // One "charging" notice for the renewal, however many tries the provider's failure cost.
      const after = await h.messagesTo(user);
      expect(after.filter((m) => m.includes('Продлеваем подписку'))).toHaveLength(1);
      expect(after.some((m) => m.includes('Подписка продлена автоматически'))).toBe(true);
    });
  }
});
