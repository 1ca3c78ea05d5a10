import { makePayment, makeServer, makeSubscription, makeUser } from '@vpn/db/testing';
import { broadcastQueue } from '@vpn/queues';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TEST_TOKEN, startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

const DAY = 86_400_000;

describe('dashboard: figures by window, the daily statistics table, the chart PNG, health', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('dashboard');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  const sql = (query: string, bind: unknown[]) => w.db.sequelize.query(query, { bind });
  /** A customer who signed up `daysAgo` days ago, with the trial taken then when `trial`. */
  async function customer(daysAgo: number, trial = false) {
    const user = await makeUser(w.db.repos);
    const at = new Date(Date.now() - daysAgo * DAY);
    await sql('UPDATE users SET created_at = $2, trial_used_at = $3 WHERE id = $1', [user.id, at, trial ? at : null]);
    return user;
  }
  /** A payment paid `daysAgo` days ago. */
  async function paid(userId: number, daysAgo: number, amountMinor: number, currency = 'RUB') {
    const p = await makePayment(w.db.repos, { userId, amountMinor, currency });
    await sql("UPDATE payments SET status = 'succeeded', paid_at = $2 WHERE id = $1", [p.id, new Date(Date.now() - daysAgo * DAY)]);
    return p;
  }
  /** The `<pre>` table's row named `label`: its three cells (today, 7 d, 30 d). */
  const cells = (text: string, label: string) =>
    text
      .split('\n')
      .find((l) => l.startsWith(label))!
      .slice(16)
      .match(/.{13}/g)!
      .map((c) => c.trim());

  it('today, 7 and 30 days from stored days plus today live; the chart; health', async () => {
    const viewer = await w.staff('viewer');
    const t = viewer.t;
    // Today: a trial customer who pays (a conversion), a customer who only signs up.
    const convert = await customer(0, true);
    await paid(convert.id, 0, 19_900);
    await customer(0);
    // 3 days ago: a trial and a payment of a repeat payer (not a conversion), a Stars payment.
    const repeat = await customer(3, true);
    await paid(repeat.id, 5, 19_900);
    await paid(repeat.id, 3, 50_000);
    await paid(repeat.id, 3, 250, 'XTR');
    // 20 days ago and 40 days ago (outside every window).
    await paid((await customer(20)).id, 20, 100_000);
    await paid((await customer(40)).id, 40, 999_900);
    await makeSubscription(w.db.repos, { userId: convert.id });

    await w.menu(viewer);
    const screen = await w.open(viewer, t('admin.dashboard.menu'));
    const text = screen.text!;
    expect(cells(text, t('admin.dashboard.newCustomers'))).toEqual(['2', '3', '4']);
    expect(cells(text, t('admin.dashboard.trials'))).toEqual(['1', '2', '2']);
    expect(cells(text, t('admin.dashboard.conversions'))).toEqual(['1 100%', '2 100%', '2 100%']);
    expect(cells(text, `${t('admin.dashboard.revenue')} RUB`)).toEqual(['199.00', '898.00', '1898.00']);
    expect(cells(text, `${t('admin.dashboard.payments')} RUB`)).toEqual(['1', '3', '4']);
    expect(cells(text, `${t('admin.dashboard.revenue')} XTR`)).toEqual(['0', '250', '250']);
    expect(text).toContain('active subscriptions 1 (paying 1, trial 0)');

    // The finished days are stored once: opening again computes nothing new.
    const stored = await w.db.repos.stats.listDays('2000-01-01', '2100-01-01');
    expect(stored).toHaveLength(29);
    expect(await w.db.repos.stats.fillMissing(29, new Date())).toBe(0);

    // The chart: a PNG with today's revenue as the last bar.
    await w.press(viewer, t('admin.dashboard.chart'));
    const photo = await w.next(viewer);
    expect(photo.caption).toContain('RUB');
    const png = PNG.sync.read(await w.tg.downloadFile(photo.photoFileId!));
    expect([png.width, png.height]).toEqual([720, 360]);
    const pixel = (x: number, y: number) => [...png.data.subarray((y * 720 + x) * 4, (y * 720 + x) * 4 + 3)];
    const slot = (720 - 112) / 30;
    expect(pixel(Math.round(56 + 29.5 * slot), 330)).toEqual([59, 130, 246]); // today's bar
    expect(pixel(Math.round(56 + 1.5 * slot), 330)).toEqual([255, 255, 255]); // 28 days ago: nothing paid

    // Health: servers, a queue with work, the day's alerts.
    await makeServer(w.db.repos, { name: 'nl-health' });
    await w.queues.queue(broadcastQueue).add({ scope: 'tick' });
    await w.db.repos.auditLog.append({ actorKind: 'system', action: 'alert.no_server', entity: 'user', entityId: '1', data: {} });
    await w.menu(viewer);
    await w.open(viewer, t('admin.dashboard.menu'));
    const health = await w.open(viewer, t('admin.dashboard.health'));
    expect(health.text).toContain('nl-health');
    expect(health.text).toMatch(/broadcast: waiting 1/);
    expect(health.text).toContain('alert.no_server × 1');
    expect(ADMIN_TEST_TOKEN).toBeTruthy();
  });
});
