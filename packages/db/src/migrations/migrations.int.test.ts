import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_TABLE } from '../migrator.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/index.js';
import { migrations } from './index.js';

const EXPECTED_TABLES = [
  'admins',
  'audit_log',
  'broadcast_deliveries',
  'broadcasts',
  'faq_items',
  'outbox',
  'payment_events',
  'payments',
  'plans',
  'promo_codes',
  'promo_redemptions',
  'referral_rewards',
  'sent_notifications',
  'servers',
  'settings',
  'subscription_events',
  'subscriptions',
  'support_message_links',
  'support_tickets',
  'usage_snapshots',
  'users',
  'vpn_accounts',
];

describe('migrations', () => {
  // A schema of its own: going down to zero must not disturb the worker's shared test schema.
  let db: ScratchDatabase;
  const schema = () => db.schema;

  const tables = async () => {
    const [rows] = await db.sequelize.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = '${schema()}' ORDER BY tablename`,
    );
    return (rows as { tablename: string }[]).map((r) => r.tablename);
  };
  const types = async () => {
    const [rows] = await db.sequelize.query(
      `SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = '${schema()}' AND t.typtype = 'e' ORDER BY 1`,
    );
    return (rows as { typname: string }[]).map((r) => r.typname);
  };

  beforeAll(async () => {
    db = await createScratchDatabase('mig');
  });
  afterAll(() => db.destroy());

  it('names every file YYYYMMDDHHmm-<verb>-<object> in ascending order', () => {
    const names = migrations.map((m) => m.name);
    for (const name of names) expect(name).toMatch(/^\d{12}-[a-z]+-[a-z-]+$/);
    expect([...names].sort()).toEqual(names);
  });

  it('goes up fast, down to zero leaving nothing behind, and up again', async () => {
    const started = performance.now();
    const applied = await db.migrator().up();
    const upMs = performance.now() - started;
    expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(upMs).toBeLessThan(2000);
    expect((await tables()).filter((t) => t !== MIGRATIONS_TABLE)).toEqual(EXPECTED_TABLES);
    expect(await types()).toContain('payment_status');

    const reverted = await db.migrator().down({ to: 0 });
    expect(reverted).toHaveLength(migrations.length);
    expect(await tables()).toEqual([MIGRATIONS_TABLE]);
    expect(await types()).toEqual([]);
    expect(await db.migrator().executed()).toEqual([]);

    await db.migrator().up();
    expect(await db.migrator().pending()).toEqual([]);
    expect((await tables()).filter((t) => t !== MIGRATIONS_TABLE)).toEqual(EXPECTED_TABLES);
  });

  it('steps down one migration at a time', async () => {
    const columns = async (table: string) => {
      const [rows] = await db.sequelize.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = '${schema()}' AND table_name = '${table}'`,
      );
      return (rows as { column_name: string }[]).map((r) => r.column_name);
    };
    const indexes = async (table: string) => {
      const [rows] = await db.sequelize.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = '${schema()}' AND tablename = '${table}'`,
      );
      return (rows as { indexname: string }[]).map((r) => r.indexname);
    };
    const executed = await db.migrator().executed();
    expect(await indexes('payments')).toContain('payments_promo_pending_idx');
    await db.migrator().down();
    expect(await db.migrator().executed()).toHaveLength(executed.length - 1);
    expect(await indexes('payments')).not.toContain('payments_promo_pending_idx');
    expect(await columns('vpn_accounts')).toContain('reissue_count');
    await db.migrator().down();
    expect(await columns('vpn_accounts')).not.toContain('reissue_count');
    expect(await columns('servers')).toContain('latency_ms');
    await db.migrator().down();
    expect(await columns('servers')).not.toContain('latency_ms');
    expect(await columns('promo_codes')).toContain('currency');
    await db.migrator().down();
    expect(await columns('promo_codes')).not.toContain('currency');
    await db.migrator().down();
    expect(await tables()).not.toContain('outbox');
    await db.migrator().up();
    expect(await tables()).toContain('outbox');
    expect(await columns('servers')).toContain('latency_ms');
    expect(await columns('vpn_accounts')).toContain('reissue_count');
    expect(await indexes('payments')).toContain('payments_promo_pending_idx');
    expect(await columns('promo_codes')).toContain('currency');
  });
});
