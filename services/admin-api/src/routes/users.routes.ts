import type { Actor, Permission } from '@vpn/backoffice';
import { CUSTOMER_SEGMENTS } from '@vpn/db';
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import { route } from '../http/route.js';
import type { RouteDeps } from './deps.js';

const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const reason = z.string().max(500).optional();
const days = z.number().int().min(1).max(3_650);
/** A client-made nonce: repeating a request with the same one does the work once. */
const requestId = z.uuid();

/** A POST on one customer that runs one back-office action as the signed-in admin. */
function action<B extends z.ZodObject<z.ZodRawShape>>(
  name: string,
  summary: string,
  access: Permission,
  body: B,
  run: (actor: Actor, userId: number, body: z.output<B>) => Promise<unknown>,
  status = 200,
) {
  return route({
    method: 'post',
    path: `/api/users/:id/${name}`,
    summary,
    tag: 'users',
    access,
    params: idParam,
    body,
    status,
    handler: (ctx, input) => run(ctx.state.auth.actor, input.params.id, input.body as z.output<B>),
  });
}

/** Customers: list, search, the card, and the admin bot's actions on them (the same back-office calls). */
export function userRoutes(deps: RouteDeps) {
  const { db, backoffice } = deps;
  return [
    route({
      method: 'get',
      path: '/api/users',
      summary: 'Customers, newest first: search (Telegram id, id, referral code, @username prefix) or a segment, paged by `before`',
      tag: 'users',
      access: 'customers:read',
      query: z.object({
        q: z.string().trim().min(1).max(64).optional(),
        segment: z.enum(CUSTOMER_SEGMENTS).default('all'),
        before: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
      async handler(_ctx, { query }) {
        const items = query.q
          ? await db.repos.users.search(query.q, query.limit)
          : await db.repos.users.listForStaff({
              segment: query.segment,
              ...(query.before ? { beforeId: query.before } : {}),
              limit: query.limit,
            });
        const last = items.at(-1);
        return { items, next: !query.q && items.length === query.limit && last ? String(last.id) : null };
      },
    }),
    route({
      method: 'get',
      path: '/api/users/:id',
      summary: 'A customer’s card: subscriptions, latest payments, referrals and audit entries',
      tag: 'users',
      access: 'customers:read',
      params: idParam,
      async handler(_ctx, { params }) {
        const user = await db.repos.users.findById(params.id);
        if (!user) throw new ApiError(404, 'not_found', `customer ${params.id} not found`);
        const [subscriptions, payments, referrals, audit] = await Promise.all([
          db.repos.subscriptions.listByUser(user.id),
          db.repos.payments.listByUser(user.id, { limit: 20 }),
          db.repos.users.countReferrals(user.id),
          db.repos.auditLog.list({ entity: 'user', entityId: String(user.id), limit: 20 }),
        ]);
        return { user, subscriptions, payments, referrals, audit };
      },
    }),
    action('extend', 'Extend access by N days', 'customers:extend', z.object({ days, reason }), (actor, userId, b) =>
      backoffice.customers.extend(actor, { userId, days: b.days, reason: b.reason ?? null }),
    ),
    action('shorten', 'Shorten access by N days (never before now)', 'customers:shorten', z.object({ days, reason }), (actor, userId, b) =>
      backoffice.customers.shorten(actor, { userId, days: b.days, reason: b.reason ?? null }),
    ),
    action(
      'grant-plan',
      'Give a plan and its limits for N days without a payment',
      'customers:grant_plan',
      z.object({ planId: z.number().int().positive(), days, reason }),
      (actor, userId, b) => backoffice.customers.grantPlan(actor, { userId, planId: b.planId, days: b.days, reason: b.reason ?? null }),
    ),
    action(
      'block',
      'Block the customer (the bot stops serving them; access is suspended)',
      'customers:block',
      z.object({ reason: z.string().min(1).max(500) }),
      (actor, userId, b) => backoffice.customers.block(actor, { userId, reason: b.reason }),
    ),
    action('unblock', 'Unblock the customer (suspended access resumes)', 'customers:block', z.object({ reason }), (actor, userId, b) =>
      backoffice.customers.unblock(actor, { userId, reason: b.reason ?? null }),
    ),
    action(
      'reissue',
      'Revoke the key and send the customer a new one (once per requestId)',
      'customers:reissue',
      z.object({ requestId, reason }),
      (actor, userId, b) => backoffice.customers.reissueKey(actor, { userId, requestId: b.requestId, reason: b.reason ?? null }),
      202,
    ),
    action(
      'reset-traffic',
      'Zero the traffic counter on the panel (once per requestId)',
      'customers:reset_traffic',
      z.object({ requestId, reason }),
      (actor, userId, b) => backoffice.customers.resetTraffic(actor, { userId, requestId: b.requestId, reason: b.reason ?? null }),
      202,
    ),
    action(
      'move',
      'Move the subscription to another server',
      'customers:move',
      z.object({ serverId: z.number().int().positive(), reason }),
      (actor, userId, b) => backoffice.customers.moveToServer(actor, { userId, serverId: b.serverId, reason: b.reason ?? null }),
    ),
    action(
      'reset-trial',
      'Let the customer take the free trial once more',
      'customers:reset_trial',
      z.object({ reason }),
      (actor, userId, b) => backoffice.customers.resetTrial(actor, { userId, reason: b.reason ?? null }),
    ),
    action(
      'message',
      'Send the customer a plain-text message through the client bot (once per requestId)',
      'customers:message',
      z.object({ text: z.string().min(1).max(2_000), requestId }),
      (actor, userId, b) => backoffice.customers.message(actor, { userId, text: b.text, requestId: b.requestId }),
      202,
    ),
  ];
}
