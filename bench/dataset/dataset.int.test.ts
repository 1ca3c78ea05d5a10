import { useTestDatabase } from '@vpn/db/testing';
import { describe, expect, it } from 'vitest';
import { generateDataset } from './generate.js';
import { scaledShape } from './shape.js';
import { verifyDataset } from './verify.js';

const AS_OF = new Date('2026-12-01T09:00:00.000Z');
const DAY_MS = 86_400_000;

// The 1 M data set's generator at 3 000 customers: the same SQL, in seconds.
describe('bench data set generator', () => {
  const db = useTestDatabase();
  const one = async <T>(sql: string, bind: unknown[] = []): Promise<T> => ((await db().sequelize.query(sql, { bind }))[0][0] ?? {}) as T;
  const fingerprint = () =>
    one<{ md5: string }>(
      `SELECT md5(string_agg(concat_ws('|', s.id, s.status, s.ends_at, s.server_id, s.auto_renew, p.n), ',' ORDER BY s.id)) AS md5
       FROM subscriptions s LEFT JOIN (SELECT user_id, string_agg(concat_ws('.', status, amount_minor, provider), ';' ORDER BY id) AS n
                                       FROM payments GROUP BY user_id) p ON p.user_id = s.user_id`,
    );

  it('fills the real schema with consistent, realistic rows, the same ones every time', async () => {
    const shape = scaledShape(3_000, { servers: 4 });
    const summary = await generateDataset(db(), shape, AS_OF);
    expect(summary.rows).toMatchObject({ users: 3_000, subscriptions: 3_000, payments: 6_000, servers: 4 });
    expect(summary.rows.vpn_accounts).toBeGreaterThan(2_900);
    expect(summary.rows.payment_events).toBeGreaterThan(4_500);
    expect(summary.rows.sent_notifications).toBeGreaterThan(4_500);
    expect(await verifyDataset(db())).toEqual([]);

    // Statuses, providers, currencies and dates as the shape promises.
    const subs = await one<Record<string, number>>(
      `SELECT count(*) FILTER (WHERE status = 'active' AND ends_at > $1)::int AS running,
              count(*) FILTER (WHERE status = 'active' AND ends_at <= $1)::int AS backlog,
              count(*) FILTER (WHERE status = 'expired')::int AS expired,
              count(*) FILTER (WHERE is_trial)::int AS trials,
              count(*) FILTER (WHERE auto_renew AND saved_payment_method_id IS NOT NULL)::int AS renewing,
              (SELECT max(n) FROM (SELECT count(*)::int AS n FROM subscriptions GROUP BY ends_at) e) AS largest_shared_end
       FROM subscriptions`,
      [AS_OF],
    );
    expect(subs.running! / 3_000).toBeGreaterThan(0.4);
    expect(subs.expired! / 3_000).toBeGreaterThan(0.25);
    expect(subs.backlog).toBeGreaterThan(0);
    expect(subs.trials! / 3_000).toBeGreaterThan(0.08);
    expect(subs.renewing).toBeGreaterThan(200);
    expect(subs.largest_shared_end).toBeGreaterThanOrEqual(3);
    const pays = await one<{ providers: string[]; currencies: string[]; statuses: string[]; span_days: number; stuck: number }>(
      `SELECT array_agg(DISTINCT provider::text ORDER BY provider::text) AS providers,
              array_agg(DISTINCT currency ORDER BY currency) AS currencies,
              array_agg(DISTINCT status::text ORDER BY status::text) AS statuses,
              extract(epoch FROM max(created_at) - min(created_at)) / 86400 AS span_days,
              count(*) FILTER (WHERE status = 'pending' AND created_at < $1::timestamptz - interval '1 day')::int AS stuck
       FROM payments`,
      [AS_OF],
    );
    expect(pays.providers).toEqual(['cryptopay', 'stars', 'wata', 'yookassa']);
    expect(pays.currencies).toEqual(['RUB', 'XTR']);
    expect(pays.statuses).toEqual(['cancelled', 'failed', 'pending', 'refunded', 'succeeded']);
    expect(Number(pays.span_days)).toBeGreaterThan(300);
    expect(pays.stuck).toBeGreaterThan(0);
    const latest = await one<{ at: Date }>('SELECT max(created_at) AS at FROM payments');
    expect(new Date(latest.at).getTime()).toBeLessThanOrEqual(AS_OF.getTime());

    // Reminders already sent are spelled as the reminders sweep spells them, and only for what was due.
    const reminder = await one<{ reference: string; ends_at: Date }>(
      `SELECT n.reference, s.ends_at FROM sent_notifications n JOIN subscriptions s ON s.user_id = n.user_id
       WHERE n.kind = 'expiry_reminder' ORDER BY n.id LIMIT 1`,
    );
    const [id, iso, days] = reminder.reference.split(/:(?=\d{4}-|\dd$)/);
    expect(Number(id)).toBeGreaterThan(0);
    expect(iso).toBe(new Date(reminder.ends_at).toISOString());
    expect(new Date(reminder.ends_at).getTime() - Number(days?.slice(0, 1)) * DAY_MS).toBeLessThan(AS_OF.getTime());

    // The repositories read the rows (an encrypted server credential decrypts with the handle's key).
    expect((await db().repos.servers.getWithCredentials(1))?.credentials).toEqual({ username: 'bench', password: 'bench' });
    const candidates = await db().repos.subscriptions.listRenewalCandidates({
      from: new Date(AS_OF.getTime() - 3 * DAY_MS),
      to: new Date(AS_OF.getTime() + DAY_MS),
      now: AS_OF,
    });
    expect(candidates.length).toBeGreaterThan(0);

    const first = await fingerprint();
    await db().truncateAll();
    await generateDataset(db(), shape, AS_OF);
    expect(await fingerprint()).toEqual(first);
  });
});
