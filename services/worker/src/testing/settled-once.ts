import { expect } from 'vitest';
import type { User } from '@vpn/db';
import type { E2eHarness } from './e2e-harness.js';

const DAY = 86_400_000;

/**
 * Waits for the customer's config message, then checks the whole outcome of one 30-day purchase
 * paid after `before`: the payment succeeded, the subscription was extended once by 30 days, the
 * panel has the account, and the customer got exactly one "paid" and one "ready" message.
 * Returns the subscription id.
 */
export async function expectSettledOnce(h: E2eHarness, user: User, paymentId: string, before: number): Promise<number> {
  await h.until(async () => (await h.messagesTo(user)).some((m) => m.includes('Ваш VPN готов')), 30_000, 'the config message');
  // Time for a wrong second settlement or message to show up.
  await new Promise((r) => setTimeout(r, 1_500));
  expect((await h.db.repos.payments.get(paymentId))?.status).toBe('succeeded');
  const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
  const days = ((sub?.endsAt?.getTime() ?? 0) - before) / DAY;
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThan(30.01);
  const [rows] = await h.db.sequelize.query(
    "SELECT count(*)::int AS n FROM subscription_events WHERE kind = 'purchase' AND subscription_id = $1",
    { bind: [sub!.id] },
  );
  expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);
  expect(h.panel.userKeys()).toContain(`vpn_s${sub!.id}`);
  const messages = await h.messagesTo(user);
  // Whole roubles show without kopecks; Intl puts a no-break space before the sign.
  expect(messages.filter((m) => /Оплата 199\s₽ получена/.test(m))).toHaveLength(1);
  expect(messages.filter((m) => m.includes('Ваш VPN готов'))).toHaveLength(1);
  return sub!.id;
}
