import type { Admin, AuditEntry, Database, Payment, Plan, Server, Subscription, SupportTicket, User, VpnAccount } from '@vpn/db';
import { currencyExponent, minorToDecimal } from '@vpn/payments';

/** Everything staff see about one customer (the admin bot's card, the support topic's card). */
export interface CustomerOverview {
  user: User;
  subscription: Subscription | null;
  plan: Plan | null;
  server: Server | null;
  /** The live VPN account of the subscription, if provisioned. */
  account: VpnAccount | null;
  /** Bytes used as the panel last reported (usage sync), or null when never synced. */
  usedBytes: number | null;
  /** The newest payments, newest first. */
  payments: Payment[];
  referrals: number;
  referrer: User | null;
  ticket: SupportTicket | null;
  /** The staff member the open ticket is assigned to. */
  assignee: Admin | null;
  audit: AuditEntry[];
}

/** The number of payments an overview carries (the "last 5"). */
export const OVERVIEW_PAYMENTS = 5;

/**
 * Loads a customer's overview in one round of parallel reads (plus the few that depend on the
 * subscription). Read-only: the entry point has already decided the reader may see customers.
 * Null for an unknown customer.
 */
export async function loadCustomerOverview(
  db: Pick<Database, 'repos'>,
  userId: number,
  options: { audit?: number } = {},
): Promise<CustomerOverview | null> {
  const { repos } = db;
  const user = await repos.users.findById(userId);
  if (!user) return null;
  const [subscription, payments, referrals, referrer, ticket, audit] = await Promise.all([
    repos.subscriptions.getCurrentOrLatestForUser(user.id),
    repos.payments.listByUser(user.id, { limit: OVERVIEW_PAYMENTS }),
    repos.users.countReferrals(user.id),
    user.referrerId ? repos.users.findById(user.referrerId) : null,
    repos.support.getOpenTicket(user.id),
    options.audit ? repos.auditLog.list({ entity: 'user', entityId: String(user.id), limit: options.audit }) : [],
  ]);
  const [plan, server, accounts, assignee] = await Promise.all([
    subscription?.planId ? repos.plans.get(subscription.planId) : null,
    subscription?.serverId ? repos.servers.get(subscription.serverId) : null,
    subscription ? repos.vpnAccounts.findBySubscription(subscription.id) : [],
    ticket?.assignedAdminId ? repos.admins.findActiveById(ticket.assignedAdminId) : null,
  ]);
  const account = accounts.find((a) => a.syncState !== 'deleted' && a.syncState !== 'deleting') ?? null;
  const usage = account ? await repos.usageSnapshots.latest(account.id) : null;
  return {
    user,
    subscription,
    plan,
    server,
    account,
    usedBytes: usage?.usedBytes ?? null,
    payments,
    referrals,
    referrer,
    ticket,
    assignee,
    audit,
  };
}

/** A log or record time, the same for every reader: `2026-12-07 15:40 UTC`. */
export const stamp = (date: Date | null | undefined): string => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/** An amount for staff, exact and unambiguous: `199.00 RUB`, `150 XTR`. */
export const amount = (minor: number, currency: string): string => `${minorToDecimal(minor, currencyExponent(currency))} ${currency}`;

/** Traffic for staff: `1.25 GiB`. */
export const gibibytes = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
