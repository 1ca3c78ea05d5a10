import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, makeUser, type TestDatabase } from '../testing/index.js';

describe('users repository', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  beforeEach(() => db.truncateAll());
  afterAll(() => db.close());

  it('creates on first contact, refreshes names later, keeps referrer and language', async () => {
    const referrer = await makeUser(db.repos);
    const first = await db.repos.users.upsertFromTelegram(
      { telegramId: 7_000_000_001, username: 'alice', firstName: 'Alice', languageCode: 'en' },
      { referrerId: referrer.id, source: 'ads_vk' },
    );
    expect(first.created).toBe(true);
    expect(first.user).toMatchObject({
      telegramId: 7_000_000_001,
      username: 'alice',
      referrerId: referrer.id,
      source: 'ads_vk',
      languageCode: 'en',
    });
    expect(typeof first.user.id).toBe('number');
    expect(first.user.referralCode).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(first.user).not.toHaveProperty('created');

    const again = await db.repos.users.upsertFromTelegram(
      { telegramId: 7_000_000_001, username: 'alice2', languageCode: 'ru' },
      { referrerId: null, source: 'other' },
    );
    expect(again.created).toBe(false);
    expect(again.user).toMatchObject({
      id: first.user.id,
      username: 'alice2',
      referrerId: referrer.id,
      source: 'ads_vk',
      languageCode: 'en',
    });
    expect(await db.repos.users.findByReferralCode(first.user.referralCode)).toMatchObject({
      id: first.user.id,
    });
    expect(await db.repos.users.countReferrals(referrer.id)).toBe(1);
  });

  it('makes exactly one row when the same person arrives ten times at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => db.repos.users.upsertFromTelegram({ telegramId: 7_100_000_000, firstName: 'Bob' })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
    expect(await db.repos.users.count()).toBe(1);
  });

  it('grants the trial to exactly one of many parallel claims', async () => {
    const user = await makeUser(db.repos);
    const claims = await Promise.all(Array.from({ length: 8 }, () => db.repos.users.markTrialUsed(user.id)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await db.repos.users.findById(user.id))?.trialUsedAt).toBeInstanceOf(Date);
    expect(await db.repos.users.markTrialUsed(user.id)).toBe(false);
  });

  it('tracks bot blocking, admin blocking, language, activity and search', async () => {
    const user = await makeUser(db.repos, { username: 'Searchable' });
    expect(await db.repos.users.markBotBlocked(user.telegramId)).toBe(true);
    expect(await db.repos.users.markBotBlocked(user.telegramId)).toBe(false);
    expect((await db.repos.users.findByTelegramId(user.telegramId))?.botBlockedAt).toBeInstanceOf(Date);
    expect(await db.repos.users.markBotUnblocked(user.telegramId)).toBe(true);
    expect((await db.repos.users.findById(user.id))?.botBlockedAt).toBeNull();

    expect(await db.repos.users.setBlocked(user.id, true, 'fraud')).toMatchObject({
      blocked: true,
      blockedReason: 'fraud',
    });
    expect(await db.repos.users.setBlocked(user.id, false)).toMatchObject({
      blocked: false,
      blockedReason: null,
    });
    expect(await db.repos.users.setLanguage(user.id, 'en')).toMatchObject({ languageCode: 'en' });
    expect(await db.repos.users.setSupportTopic(user.id, 77)).toMatchObject({ supportTopicId: 77 });
    expect(await db.repos.users.findBySupportTopic(77)).toMatchObject({ id: user.id });

    await db.sequelize.query('UPDATE users SET last_activity_at = NULL');
    await db.repos.users.touchActivity(user.id);
    expect((await db.repos.users.findById(user.id))?.lastActivityAt).toBeInstanceOf(Date);

    expect((await db.repos.users.search('@searchab')).map((u) => u.id)).toEqual([user.id]);
    expect((await db.repos.users.search(String(user.telegramId))).map((u) => u.id)).toEqual([user.id]);
    expect(await db.repos.users.search('%')).toEqual([]);
  });

  it('stores, replaces and clears the receipt email; an unknown user gives null', async () => {
    const user = await makeUser(db.repos);
    expect(user.email ?? null).toBeNull();
    expect(await db.repos.users.setEmail(user.id, 'anna@example.com')).toMatchObject({ id: user.id, email: 'anna@example.com' });
    expect((await db.repos.users.findById(user.id))?.email).toBe('anna@example.com');
    await db.repos.users.setEmail(user.id, 'anna@example.org');
    expect((await db.repos.users.findById(user.id))?.email).toBe('anna@example.org');
    expect(await db.repos.users.setEmail(user.id, null)).toMatchObject({ id: user.id, email: null });
    expect((await db.repos.users.findById(user.id))?.email).toBeNull();
    expect(await db.repos.users.setEmail(user.id + 1_000, 'x@example.com')).toBeNull();
  });

  it('refuses a second user with the same referral code', async () => {
    const a = await makeUser(db.repos);
    const b = await makeUser(db.repos);
    await expect(
      db.sequelize.query('UPDATE users SET referral_code = $1 WHERE id = $2', {
        bind: [a.referralCode, b.id],
      }),
    ).rejects.toThrow();
  });
});
