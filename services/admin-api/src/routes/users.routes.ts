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
    route({
      method: 'post',
      path: '/api/users/:id/extend',
      summary: 'Extend access by N days',
      tag: 'users',
      access: 'customers:extend',
      params: idParam,
      body: z.object({ days, reason }),
      handler: (ctx, { params, body }) =>
        backoffice.customers.extend(ctx.state.auth.actor, { userId: params.id, days: body.days, reason: body.reason ?? null }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/shorten',
      summary: 'Shorten access by N days (never before now)',
      tag: 'users',
      access: 'customers:shorten',
      params: idParam,
      body: z.object({ days, reason }),
      handler: (ctx, { params, body }) =>
        backoffice.customers.shorten(ctx.state.auth.actor, { userId: params.id, days: body.days, reason: body.reason ?? null }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/grant-plan',
      summary: 'Give a plan and its limits for N days without a payment',
      tag: 'users',
      access: 'customers:grant_plan',
      params: idParam,
      body: z.object({ planId: z.number().int().positive(), days, reason }),
      handler: (ctx, { params, body }) =>
        backoffice.customers.grantPlan(ctx.state.auth.actor, {
          userId: params.id,
          planId: body.planId,
          days: body.days,
          reason: body.reason ?? null,
        }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/block',
      summary: 'Block the customer (the bot stops serving them; access is suspended)',
      tag: 'users',
      access: 'customers:block',
      params: idParam,
      body: z.object({ reason: z.string().min(1).max(500) }),
      handler: (ctx, { params, body }) => backoffice.customers.block(ctx.state.auth.actor, { userId: params.id, reason: body.reason }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/unblock',
      summary: 'Unblock the customer (suspended access resumes)',
      tag: 'users',
      access: 'customers:block',
      params: idParam,
      body: z.object({ reason }),
      handler: (ctx, { params, body }) =>
        backoffice.customers.unblock(ctx.state.auth.actor, { userId: params.id, reason: body.reason ?? null }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/reissue',
      summary: 'Revoke the key and send the customer a new one (once per requestId)',
      tag: 'users',
      access: 'customers:reissue',
      params: idParam,
      body: z.object({ requestId, reason }),
      status: 202,
      handler: (ctx, { params, body }) =>
        backoffice.customers.reissueKey(ctx.state.auth.actor, {
          userId: params.id,
          requestId: body.requestId,
          reason: body.reason ?? null,
        }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/reset-traffic',
      summary: 'Zero the traffic counter on the panel (once per requestId)',
      tag: 'users',
      access: 'customers:reset_traffic',
      params: idParam,
      body: z.object({ requestId, reason }),
      status: 202,
      handler: (ctx, { params, body }) =>
        backoffice.customers.resetTraffic(ctx.state.auth.actor, {
          userId: params.id,
          requestId: body.requestId,
          reason: body.reason ?? null,
        }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/move',
      summary: 'Move the subscription to another server',
      tag: 'users',
      access: 'customers:move',
      params: idParam,
      body: z.object({ serverId: z.number().int().positive(), reason }),
      handler: (ctx, { params, body }) =>
        backoffice.customers.moveToServer(ctx.state.auth.actor, {
          userId: params.id,
          serverId: body.serverId,
          reason: body.reason ?? null,
        }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/reset-trial',
      summary: 'Let the customer take the free trial once more',
      tag: 'users',
      access: 'customers:reset_trial',
      params: idParam,
      body: z.object({ reason }),
      handler: (ctx, { params, body }) =>
        backoffice.customers.resetTrial(ctx.state.auth.actor, { userId: params.id, reason: body.reason ?? null }),
    }),
    route({
      method: 'post',
      path: '/api/users/:id/message',
      summary: 'Send the customer a plain-text message through the client bot (once per requestId)',
      tag: 'users',
      access: 'customers:message',
      params: idParam,
      body: z.object({ text: z.string().min(1).max(2_000), requestId }),
      status: 202,
      handler: (ctx, { params, body }) =>
        backoffice.customers.message(ctx.state.auth.actor, { userId: params.id, text: body.text, requestId: body.requestId }),
    }),
  ];
}
