import type { Admin, AdminRole, Payment, Plan, Subscription, User } from '../models/index.js';
import type { PaymentInput } from '../repositories/payments.repository.js';
import type { SubscriptionInput } from '../repositories/subscriptions.repository.js';
import type { PlanInput } from '../repositories/plans.repository.js';
import type { Repositories } from '../repositories/index.js';
import type { Server, ServerInput } from '../repositories/servers.repository.js';
import type { FirstSeen, TelegramProfile } from '../repositories/users.repository.js';

// Random base per process: ids stay unique even if two files share a schema without truncating.
// Telegram ids above 2^31 on purpose, so int4 mistakes show up in tests.
let seq = Math.floor(Math.random() * 1_000_000) * 1000;
const next = () => ++seq;

/** A user as if they had just pressed /start. */
export async function makeUser(repos: Repositories, overrides: Partial<TelegramProfile> & FirstSeen = {}): Promise<User> {
  const n = next();
  const { referrerId, source, ...profile } = overrides;
  const { user } = await repos.users.upsertFromTelegram(
    {
      telegramId: 5_000_000_000 + n,
      username: `user${n}`,
      firstName: `User ${n}`,
      languageCode: 'ru',
      ...profile,
    },
    { referrerId, source },
  );
  return user;
}

export async function makeAdmin(
  repos: Repositories,
  overrides: { telegramId?: number; role?: AdminRole; name?: string } = {},
): Promise<Admin> {
  const n = next();
  const { admin } = await repos.admins.upsert({
    telegramId: 6_000_000_000 + n,
    role: 'admin',
    name: `Admin ${n}`,
    ...overrides,
  });
  return admin;
}

/** A 30-day plan for 199.00 RUB unless overridden. */
export async function makePlan(repos: Repositories, overrides: Partial<PlanInput> = {}): Promise<Plan> {
  const n = next();
  return repos.plans.create({
    code: `plan_${n}`,
    title: { ru: `Тариф ${n}`, en: `Plan ${n}` },
    durationDays: 30,
    priceMinor: 19_900,
    currency: 'RUB',
    ...overrides,
  });
}

/** A Marzban server with dummy credentials unless overridden. */
export async function makeServer(repos: Repositories, overrides: Partial<ServerInput> = {}): Promise<Server> {
  const n = next();
  return repos.servers.create({
    name: `server-${n}`,
    countryCode: 'NL',
    panelKind: 'marzban',
    baseUrl: `http://127.0.0.1:1/${n}`,
    credentials: { username: 'admin', password: `secret-${n}` },
    settings: { inbounds: { vless: ['VLESS TCP REALITY'] } },
    ...overrides,
  });
}

const DAY_MS = 86_400_000;

/** An active 30-day subscription starting now, for a new user unless `userId` is given. */
export async function makeSubscription(repos: Repositories, overrides: Partial<SubscriptionInput> = {}): Promise<Subscription> {
  const userId = overrides.userId ?? (await makeUser(repos)).id;
  const now = Date.now();
  return repos.subscriptions.create({
    status: 'active',
    startsAt: new Date(now),
    endsAt: new Date(now + 30 * DAY_MS),
    ...overrides,
    userId,
  });
}

/** A pending 199.00 RUB YooKassa payment, for a new user unless `userId` is given. */
export async function makePayment(repos: Repositories, overrides: Partial<PaymentInput> = {}): Promise<Payment> {
  const userId = overrides.userId ?? (await makeUser(repos)).id;
  const { payment } = await repos.payments.create({
    provider: 'yookassa',
    idempotencyKey: `test-${next()}`,
    amountMinor: 19_900,
    currency: 'RUB',
    ...overrides,
    userId,
  });
  return payment;
}
