import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_TABLE } from '../migrator.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/index.js';
import { migrations } from './index.js';

const EXPECTED_TABLES = [
  'admin_login_codes',
  'admin_sessions',
  'admins',
  'audit_log',
  'balance_entries',
  'balances',
  'broadcast_deliveries',
  'broadcasts',
  'daily_stats',
  'faq_items',
  'outbox',
  'payment_events',
  'payments',
  'plan_prices_before_final',
  'plans',
  'promo_codes',
  'promo_redemptions',
  'referral_rewards',
  'sent_notifications',
  'server_outages',
  'servers',
  'settings',
  'subscription_events',
  'subscriptions',
  'support_forums',
  'support_message_links',
  'support_relays',
  'support_tickets',
  'support_topics',
  'usage_snapshots',
  'users',
  'vpn_accounts',
];

describe('migrations', () => {
  // A schema of its own: going down to zero must not disturb the worker's shared test schema.
  let db: ScratchDatabase;
  const schema = () => db.schema;

  const tables = async () => {
    const [rows] = await db.sequelize.query(`SELECT tablename FROM pg_tables WHERE schemaname = '${schema()}' ORDER BY tablename`);
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

  // How fast migrations run is measured in bench/, not asserted on a shared machine.
  it('goes up, down to zero leaving nothing behind, and up again', async () => {
    const applied = await db.migrator().up();
    expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
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

  const columns = async (table: string) => {
    const [rows] = await db.sequelize.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = '${schema()}' AND table_name = '${table}'`,
    );
    return (rows as { column_name: string }[]).map((r) => r.column_name);
  };
  const indexes = async () => {
    const [rows] = await db.sequelize.query(`SELECT indexname FROM pg_indexes WHERE schemaname = '${schema()}'`);
    return (rows as { indexname: string }[]).map((r) => r.indexname);
  };
  const hasIndexes =
    (...names: string[]) =>
    async () => {
      const present = await indexes();
      return names.every((n) => present.includes(n));
    };

  const panelKinds = async () => {
    const [rows] = await db.sequelize.query(`SELECT unnest(enum_range(NULL::"${schema()}".panel_kind))::text AS kind`);
    return (rows as { kind: string }[]).map((r) => r.kind);
  };

  /** What each later migration adds, checked present before its `down` and gone after it. */
  const marks: Record<string, () => Promise<boolean>> = {
    '202611211500-create-outbox': async () => (await tables()).includes('outbox'),
    '202611211600-add-promo-currency': async () => (await columns('promo_codes')).includes('currency'),
    '202611211610-add-server-latency': async () => (await columns('servers')).includes('latency_ms'),
    '202612041857-add-account-reissue': async () => (await columns('vpn_accounts')).includes('reissue_count'),
    '202612041902-add-promo-hold-index': hasIndexes('payments_promo_pending_idx'),
    '202612041911-add-lookup-indexes': hasIndexes(
      'users_username_lower_idx',
      'users_last_activity_idx',
      'broadcast_deliveries_user_idx',
      'promo_redemptions_user_idx',
      'payments_promo_code_idx',
      'payments_plan_idx',
      'subscriptions_plan_idx',
      'support_tickets_user_created_idx',
    ),
    '202612041920-add-notification-lease': async () => (await columns('sent_notifications')).includes('claimed_at'),
    '202612041922-add-pasarguard-panel-kind': async () => (await panelKinds()).includes('pasarguard'),
    '202612061000-add-row-change-notify': async () => {
      const [rows] = await db.sequelize.query(
        `SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = '${schema()}' AND tgname IN ('subscriptions_row_change', 'vpn_accounts_row_change')`,
      );
      return rows.length === 2;
    },
    '202612071100-make-plan-prices-final': async () => (await tables()).includes('plan_prices_before_final'),
    '202612071500-add-backoffice-roles': async () => {
      const [rows] = await db.sequelize.query(`SELECT unnest(enum_range(NULL::"${schema()}".admin_role))::text AS role`);
      return (rows as { role: string }[]).some((r) => r.role === 'finance') && (await indexes()).includes('audit_log_alert_idx');
    },
    '202612071510-add-trial-reset': async () => (await columns('users')).includes('trial_reset_at'),
    '202612081700-create-balances': async () => {
      const [rows] = await db.sequelize.query(
        `SELECT 1 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = '${schema()}' AND ((t.typname = 'payment_provider' AND e.enumlabel = 'balance') OR (t.typname = 'payment_kind' AND e.enumlabel = 'top_up'))`,
      );
      return rows.length === 2 && (await tables()).includes('balances');
    },
  };

  it('steps down one migration at a time, each undoing exactly its own change, then up again', async () => {
    await db.migrator().up();
    const names = migrations.map((m) => m.name);
    const stop = names.indexOf('202611211500-create-outbox');
    for (let i = names.length - 1; i >= stop; i--) {
      const name = names[i]!;
      const mark = marks[name];
      if (mark) expect(await mark(), `${name} applied`).toBe(true);
      const [reverted] = await db.migrator().down();
      expect(reverted?.name).toBe(name);
      if (mark) expect(await mark(), `${name} reverted`).toBe(false);
    }
    expect(await db.migrator().executed()).toHaveLength(stop);
    await db.migrator().up();
    for (const [name, mark] of Object.entries(marks)) expect(await mark(), `${name} applied again`).toBe(true);
  });

  it('keeps panel kind pasarguard while a server uses it, and drops it once none does', async () => {
    await db.migrator().up();
    const insert = `INSERT INTO servers (name, panel_kind, base_url, credentials_encrypted) VALUES ('pg-1', 'pasarguard', 'http://127.0.0.1:1', 'v1:x')`;
    await db.sequelize.query(insert);
    // The newer migrations first (down to and including the last before it), so the next step down is the panel kind's.
    const reverted = await db.migrator().down({ to: '202612061000-add-row-change-notify' });
    expect(reverted.at(-1)?.name).toBe('202612061000-add-row-change-notify');
    await expect(db.migrator().down()).rejects.toThrow(/servers still use panel kind pasarguard/);
    expect(await panelKinds()).toContain('pasarguard');
    await db.sequelize.query(`DELETE FROM servers WHERE name = 'pg-1'`);
    await db.sequelize.query(
      `INSERT INTO servers (name, panel_kind, base_url, credentials_encrypted) VALUES ('mz-1', 'marzban', 'http://127.0.0.1:1', 'v1:x')`,
    );
    expect((await db.migrator().down())[0]?.name).toBe('202612041922-add-pasarguard-panel-kind');
    expect(await panelKinds()).toEqual(['marzban', '3x-ui', 'remnawave', 'wg-easy']);
    // Existing servers keep their kind through the type swap.
    const [rows] = await db.sequelize.query(`SELECT panel_kind::text AS kind FROM servers WHERE name = 'mz-1'`);
    expect(rows).toEqual([{ kind: 'marzban' }]);
    await db.migrator().up();
    expect(await panelKinds()).toContain('pasarguard');
    await db.sequelize.query(`DELETE FROM servers WHERE name = 'mz-1'`);
  });

  it('lets the admin search by username prefix use an index', async () => {
    await db.migrator().up();
    const plan = await db.sequelize.transaction(async (transaction) => {
      // A fresh table is tiny, so forbid the sequential scan to see whether an index can serve it.
      await db.sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
      const [rows] = await db.sequelize.query(
        `EXPLAIN SELECT * FROM users WHERE telegram_id = $1 OR id = $1 OR referral_code = $2
           OR lower(username) LIKE lower($3) || '%' ORDER BY id LIMIT 20`,
        { bind: [null, 'ali', 'ali'], transaction },
      );
      return (rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('users_username_lower_idx');
    expect(plan).not.toContain('Seq Scan');
  });

  it('makes plan prices final without changing what any price means', async () => {
    await db.migrator().up();
    await db.migrator().down({ to: '202612071100-make-plan-prices-final' });
    const insert = (code: string, days: number, price: number, stars: number | null, discount: number, currency = 'RUB') =>
      db.sequelize.query(
        `INSERT INTO plans (code, title, duration_days, price_minor, currency, price_stars, discount_percent)
         VALUES ($1, '{"ru":"x","en":"x"}', $2, $3, $4, $5, $6)`,
        { bind: [code, days, price, currency, stars, discount] },
      );
    // The seeds: long plans already carry their saving (549 ₽ = 3 × 199 ₽ − 8 %).
    await insert('m1', 30, 19_900, 150, 0);
    await insert('m3', 90, 54_900, 420, 8);
    await insert('m12', 365, 179_900, 1_370, 25);
    // An operator's plan priced at the full 6 × 199 ₽ with 10 % that checkout used to take off.
    await insert('m6list', 180, 119_400, 900, 10);
    // No shorter plan in its currency to compare with: its discount was charged, so it is folded in.
    await insert('usd3', 90, 1_000, null, 10, 'USD');
    await db.migrator().up();
    const [rows] = await db.sequelize.query('SELECT code, price_minor, price_stars, discount_percent FROM plans ORDER BY id');
    expect(rows).toEqual([
      { code: 'm1', price_minor: 19_900, price_stars: 150, discount_percent: 0 },
      { code: 'm3', price_minor: 54_900, price_stars: 420, discount_percent: 0 },
      { code: 'm12', price_minor: 179_900, price_stars: 1_370, discount_percent: 0 },
      { code: 'm6list', price_minor: 107_460, price_stars: 810, discount_percent: 0 },
      { code: 'usd3', price_minor: 900, price_stars: null, discount_percent: 0 },
    ]);
    await db.migrator().down({ to: '202612071100-make-plan-prices-final' });
    const [back] = await db.sequelize.query("SELECT price_minor, discount_percent FROM plans WHERE code = 'm6list'");
    expect(back).toEqual([{ price_minor: 119_400, discount_percent: 10 }]);
    await db.sequelize.query('DELETE FROM plans');
    await db.migrator().up();
  });

  it('encrypts the links of existing panel accounts, and down decrypts them', async () => {
    await db.migrator().up();
    await db.migrator().down({ to: '202612081100-encrypt-account-links' });
    await db.sequelize.query(
      `INSERT INTO users (telegram_id, referral_code) VALUES (990001, 'encmig');
       INSERT INTO servers (name, panel_kind, base_url, credentials_encrypted) VALUES ('enc-1', 'marzban', 'https://p.example', 'v1:x');
       INSERT INTO subscriptions (user_id, server_id, status, ends_at)
         SELECT id, (SELECT id FROM servers WHERE name = 'enc-1'), 'active', now() + interval '1 day' FROM users WHERE telegram_id = 990001;
       INSERT INTO vpn_accounts (subscription_id, server_id, panel_user_key, subscription_url, links)
         SELECT s.id, s.server_id, 'enc_a', 'https://p.example/sub/TOKEN_PLAIN_1', '["vless://uuid-plain-1@p.example:443"]'
         FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.telegram_id = 990001;
       INSERT INTO vpn_accounts (subscription_id, server_id, panel_user_key)
         SELECT s.id, s.server_id, 'enc_b' FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.telegram_id = 990001;`,
    );
    await db.migrator().up();
    const [raw] = await db.sequelize.query("SELECT vpn_accounts::text AS row FROM vpn_accounts WHERE panel_user_key LIKE 'enc_%'");
    const text = JSON.stringify(raw);
    expect(text).toContain('enc_a');
    expect(text).not.toContain('TOKEN_PLAIN_1');
    expect(text).not.toContain('uuid-plain-1');
    const [a, b] = await Promise.all(
      ['enc_a', 'enc_b'].map(async (key) => {
        const [[row]] = (await db.sequelize.query('SELECT id FROM vpn_accounts WHERE panel_user_key = $1', { bind: [key] })) as [
          { id: string }[],
          unknown,
        ];
        return db.repos.vpnAccounts.get(Number(row!.id));
      }),
    );
    expect(a).toMatchObject({ subscriptionUrl: 'https://p.example/sub/TOKEN_PLAIN_1', links: ['vless://uuid-plain-1@p.example:443'] });
    expect(b).toMatchObject({ subscriptionUrl: null, links: [] });
    expect((await db.repos.users.search('TOKEN_PLAIN_1')).map((u) => Number(u.telegramId))).toEqual([990001]);

    await db.migrator().down({ to: '202612081100-encrypt-account-links' });
    const [back] = await db.sequelize.query(
      "SELECT panel_user_key, subscription_url, links FROM vpn_accounts WHERE panel_user_key LIKE 'enc_%' ORDER BY 1",
    );
    expect(back).toEqual([
      { panel_user_key: 'enc_a', subscription_url: 'https://p.example/sub/TOKEN_PLAIN_1', links: ['vless://uuid-plain-1@p.example:443'] },
      { panel_user_key: 'enc_b', subscription_url: null, links: [] },
    ]);
    await db.sequelize.query("DELETE FROM vpn_accounts WHERE panel_user_key LIKE 'enc_%'");
    await db.migrator().up();
  });
});
