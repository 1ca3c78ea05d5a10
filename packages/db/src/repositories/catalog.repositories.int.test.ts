import { describe, expect, it } from 'vitest';
import { makePayment, makePlan, makeUser, useTestDatabase } from '../testing/index.js';

describe('plans, admins, faq, settings and referral rewards', () => {
  const db = useTestDatabase();

  it('lists active plans in display order and updates them', async () => {
    const b = await makePlan(db().repos, { sortOrder: 20, trafficLimitBytes: 50 * 1024 ** 3 });
    const a = await makePlan(db().repos, { sortOrder: 10 });
    const hidden = await makePlan(db().repos, { active: false });
    expect((await db().repos.plans.listActive()).map((p) => p.id)).toEqual([a.id, b.id]);
    expect((await db().repos.plans.listAll()).map((p) => p.id)).toEqual([hidden.id, a.id, b.id]);
    expect(await db().repos.plans.update(a.id, { priceMinor: 24_900 })).toMatchObject({
      priceMinor: 24_900,
    });
    expect(await db().repos.plans.findByCode(b.code)).toMatchObject({
      trafficLimitBytes: 50 * 1024 ** 3,
      title: b.title,
    });
    await expect(makePlan(db().repos, { code: b.code })).rejects.toThrow();
  });

  it('keeps one admin per Telegram id with a role', async () => {
    const { admin, created } = await db().repos.admins.upsert({
      telegramId: 8_000_000_001,
      role: 'owner',
      name: 'Boss',
    });
    expect(created).toBe(true);
    expect(admin).toMatchObject({ role: 'owner', active: true, name: 'Boss' });
    await db().repos.admins.setActive(8_000_000_001, false);
    expect(await db().repos.admins.findActiveByTelegramId(8_000_000_001)).toBeNull();
    const again = await db().repos.admins.upsert({ telegramId: 8_000_000_001, role: 'viewer' });
    expect(again).toMatchObject({
      created: false,
      admin: { id: admin.id, role: 'viewer', active: true, name: 'Boss' },
    });
    expect(await db().repos.admins.setRole(8_000_000_001, 'support')).toBe(true);
    expect((await db().repos.admins.list()).map((x) => x.role)).toEqual(['support']);
  });

  it('serves the FAQ in order and keeps slugs unique', async () => {
    const q = { ru: 'Вопрос', en: 'Question' };
    await db().repos.faq.create({
      slug: 'b',
      category: 'setup',
      question: q,
      answer: q,
      sortOrder: 2,
    });
    const a = await db().repos.faq.create({
      slug: 'a',
      category: 'setup',
      question: q,
      answer: q,
      sortOrder: 1,
    });
    await db().repos.faq.create({
      slug: 'c',
      category: 'billing',
      question: q,
      answer: q,
      active: false,
    });
    expect((await db().repos.faq.listActive('setup')).map((i) => i.slug)).toEqual(['a', 'b']);
    expect((await db().repos.faq.listActive()).map((i) => i.slug)).toEqual(['a', 'b']);
    expect(await db().repos.faq.update(a.id, { answer: { ru: 'Ответ', en: 'Answer' } })).toMatchObject({ answer: { en: 'Answer' } });
    expect((await db().repos.faq.ensure({ slug: 'a', question: q, answer: q })).created).toBe(false);
    expect(await db().repos.faq.remove(a.id)).toBe(true);
    expect(await db().repos.faq.findBySlug('a')).toBeNull();
  });

  it('stores typed settings with defaults and never overwrites on ensure', async () => {
    expect(await db().repos.settings.get('trial.days')).toBeNull();
    expect(await db().repos.settings.getKnown('reminders.daysBefore')).toEqual([3, 2, 1]);
    await db().repos.settings.set('reminders.daysBefore', [5, 1], { updatedBy: 42 });
    expect(await db().repos.settings.getKnown('reminders.daysBefore')).toEqual([5, 1]);
    expect(await db().repos.settings.ensure('reminders.daysBefore', [3])).toBe(false);
    expect(await db().repos.settings.list()).toEqual([
      expect.objectContaining({ key: 'reminders.daysBefore', updatedBy: 42, encrypted: false }),
    ]);
    expect(await db().repos.settings.remove('reminders.daysBefore')).toBe(true);
  });

  it('rewards a referral at most once per referee, even in a race', async () => {
    const referrer = await makeUser(db().repos);
    const referee = await makeUser(db().repos, { referrerId: referrer.id });
    const payment = await makePayment(db().repos, { userId: referee.id });
    const input = {
      referrerId: referrer.id,
      refereeId: referee.id,
      paymentId: payment.id,
      referrerDays: 7,
      refereeDays: 3,
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => db().repos.referralRewards.insertOnce(input)));
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(await db().repos.referralRewards.findByReferee(referee.id)).toMatchObject({
      referrerDays: 7,
      paymentId: payment.id,
    });
    expect(await db().repos.referralRewards.summary(referrer.id)).toEqual({ rewards: 1, days: 7 });
    expect(await db().repos.referralRewards.listByReferrer(referrer.id)).toHaveLength(1);
  });
});
