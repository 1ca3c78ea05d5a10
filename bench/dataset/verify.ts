import type { Database } from '@vpn/db';

/**
 * The references the generator must have kept (it writes with foreign-key triggers off), each as
 * a count of offending rows. Unique indexes and CHECK constraints hold anyway: PostgreSQL
 * enforces them whatever `session_replication_role` says.
 */
const REFERENCES: Record<string, string> = {
  'users.referrer_id': `SELECT count(*) FROM users u WHERE u.referrer_id IS NOT NULL
    AND (u.referrer_id >= u.id OR NOT EXISTS (SELECT 1 FROM users r WHERE r.id = u.referrer_id))`,
  'subscriptions.user_id': 'SELECT count(*) FROM subscriptions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)',
  'subscriptions.plan_id': `SELECT count(*) FROM subscriptions s WHERE s.plan_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.id = s.plan_id)`,
  'subscriptions.server_id': `SELECT count(*) FROM subscriptions s WHERE s.server_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM servers v WHERE v.id = s.server_id)`,
  'vpn_accounts.subscription_id': `SELECT count(*) FROM vpn_accounts a
    WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = a.subscription_id AND s.server_id = a.server_id)`,
  'payments.user_id': 'SELECT count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id)',
  'payments.subscription_id': `SELECT count(*) FROM payments p WHERE p.subscription_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = p.subscription_id AND s.user_id = p.user_id)`,
  'payments.plan_id': 'SELECT count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM plans l WHERE l.id = p.plan_id)',
  'payment_events.payment_id': `SELECT count(*) FROM payment_events e WHERE e.payment_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = e.payment_id)`,
  'promo_redemptions.payment_id': `SELECT count(*) FROM promo_redemptions r
    WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = r.payment_id AND p.user_id = r.user_id AND p.promo_code_id = r.promo_code_id)`,
  'referral_rewards.payment_id': `SELECT count(*) FROM referral_rewards r
    WHERE NOT EXISTS (SELECT 1 FROM payments p JOIN users u ON u.id = p.user_id
                      WHERE p.id = r.payment_id AND u.id = r.referee_id AND u.referrer_id = r.referrer_id)`,
  'sent_notifications.user_id': `SELECT count(*) FROM sent_notifications n WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = n.user_id)`,
};

/** What is wrong with the generated data (empty when every reference holds). */
export async function verifyDataset(db: Pick<Database, 'sequelize'>): Promise<string[]> {
  const problems: string[] = [];
  for (const [reference, sql] of Object.entries(REFERENCES)) {
    const [rows] = await db.sequelize.query(sql);
    const n = Number((rows[0] as { count: string | number }).count);
    if (n > 0) problems.push(`${reference}: ${n} rows point at nothing`);
  }
  return problems;
}
