import { describe, expect, it } from 'vitest';
import { refusal, useBackofficeHarness } from '../testing/index.js';
import { promoDeepLink } from './promo.js';

const DAY = 86_400_000;

describe('promo codes: one, a batch, deactivate, usage; each checked and audited', () => {
  const h = useBackofficeHarness();

  it('makes one code (typed or random) and a batch of random codes with a prefix, all or none, audited', async () => {
    const marketing = await h.actor('marketing');
    const until = new Date(h.clock.now().getTime() + 30 * DAY);
    const one = await h.backoffice.promo.create(marketing, {
      code: 'spring25',
      kind: 'percent',
      value: 25,
      maxUses: 100,
      validUntil: until,
    });
    expect(one).toMatchObject({ code: 'SPRING25', kind: 'percent', value: 25, maxUses: 100, perUserLimit: 1, active: true });
    expect(one.validUntil?.getTime()).toBe(until.getTime());
    const random = await h.backoffice.promo.create(marketing, { kind: 'days', value: 7 });
    expect(random.code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(await refusal(h.backoffice.promo.create(marketing, { code: 'SPRING25', kind: 'days', value: 1 }))).toBe('DUPLICATE:code');

    const batch = await h.backoffice.promo.createBatch(marketing, {
      prefix: 'bf',
      count: 25,
      kind: 'fixed',
      value: 5_000,
      currency: 'rub',
      maxUses: 1,
    });
    expect(batch).toHaveLength(25);
    expect(new Set(batch.map((p) => p.code)).size).toBe(25);
    for (const p of batch) {
      expect(p.code).toMatch(/^BF-[A-HJKMNP-Z2-9]{8}$/);
      expect(p).toMatchObject({ kind: 'fixed', value: 5_000, currency: 'RUB', maxUses: 1 });
      // Every code fits the client bot's deep link (Telegram's 64 characters of A-Z a-z 0-9 _ -).
      expect(new URL(promoDeepLink('vpn_bot', p.code)).searchParams.get('start')).toMatch(/^promo_[A-Z0-9_-]{2,58}$/);
    }
    const entries = await h.db.repos.auditLog.list({ entity: 'promo' });
    expect(entries.map((e) => e.action).sort()).toEqual(['promo.batch', 'promo.create', 'promo.create']);
    expect(entries.find((e) => e.action === 'promo.batch')!.data).toMatchObject({ prefix: 'BF', count: 25 });
  });

  it('refuses bad input by field, roles without promo:write, and writes nothing', async () => {
    const owner = await h.actor('owner');
    const bad = (input: Record<string, unknown>) => refusal(h.backoffice.promo.create(owner, { kind: 'percent', value: 10, ...input }));
    expect(await bad({ value: 101 })).toBe('INVALID_INPUT:value');
    expect(await bad({ value: 0 })).toBe('INVALID_INPUT:value');
    expect(await bad({ kind: 'free' })).toBe('INVALID_INPUT:kind');
    expect(await bad({ code: 'x' })).toBe('INVALID_INPUT:code');
    expect(await bad({ code: 'A'.repeat(61) })).toBe('INVALID_INPUT:code');
    expect(await bad({ code: 'bad code' })).toBe('INVALID_INPUT:code');
    expect(await bad({ maxUses: 0 })).toBe('INVALID_INPUT:maxUses');
    expect(await bad({ perUserLimit: 1001 })).toBe('INVALID_INPUT:perUserLimit');
    expect(await bad({ validUntil: new Date(h.clock.now().getTime() - 1) })).toBe('INVALID_INPUT:validUntil');
    expect(await bad({ planIds: [999_999] })).toBe('NOT_FOUND:planIds');
    const batch = (input: Record<string, unknown>) =>
      refusal(h.backoffice.promo.createBatch(owner, { prefix: 'X', count: 2, kind: 'days', value: 3, ...input }));
    expect(await batch({ count: 501 })).toBe('INVALID_INPUT:count');
    expect(await batch({ prefix: 'a-b' })).toBe('INVALID_INPUT:prefix');
    for (const role of ['finance', 'support', 'viewer'] as const) {
      const actor = await h.actor(role);
      expect(await refusal(h.backoffice.promo.create(actor, { kind: 'days', value: 1 }))).toBe('FORBIDDEN');
      expect(await refusal(h.backoffice.promo.createBatch(actor, { prefix: 'X', count: 1, kind: 'days', value: 1 }))).toBe('FORBIDDEN');
    }
    expect(await h.db.repos.promoCodes.list()).toEqual([]);
    expect(await h.db.repos.auditLog.list()).toEqual([]);
  });

  it('deactivates a code (billing then refuses it) and shows its usage: uses, customers, revenue of paid payments, who', async () => {
    const owner = await h.actor('owner');
    const plan = await h.plan({ priceMinor: 10_000 });
    const promo = await h.backoffice.promo.create(owner, { code: 'HALF', kind: 'percent', value: 50, perUserLimit: 2 });
    const buyer = await h.customer({ username: 'buyer' });
    const { payment } = await h.billing.ledger.createPendingPayment({
      userId: buyer.id,
      planId: plan.id,
      provider: 'yookassa',
      idempotencyKey: 'half-1',
      promoCode: 'half',
    });
    await h.billing.settlement.settlePayment({ paymentId: payment.id, providerStatus: 'succeeded', amountMinor: 5_000, currency: 'RUB' });

    const usage = await h.backoffice.promo.usage(await h.actor('viewer'), { promoId: promo.id });
    expect(usage).toMatchObject({ code: 'HALF', uses: 1, customers: 1, revenue: [{ currency: 'RUB', payments: 1, amountMinor: 5_000 }] });
    expect(usage.recent).toEqual([
      expect.objectContaining({ userId: buyer.id, username: 'buyer', amountMinor: 5_000, currency: 'RUB', status: 'succeeded' }),
    ]);

    const off = await h.backoffice.promo.update(owner, { promoId: promo.id, active: false });
    expect(off.active).toBe(false);
    expect(await h.billing.promo.validatePromo('HALF', buyer.id, plan.id)).toMatchObject({ ok: false, reason: 'inactive' });
    const [entry] = await h.db.repos.auditLog.list({ entity: 'promo', entityId: String(promo.id), actionPrefix: 'promo.update' });
    expect(entry!.data).toMatchObject({ before: { active: true }, after: { active: false } });
    expect(await refusal(h.backoffice.promo.update(await h.actor('support'), { promoId: promo.id, active: true }))).toBe('FORBIDDEN');
  });
});
