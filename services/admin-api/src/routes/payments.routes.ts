import { PAYMENT_STATUSES, type PaymentStatus } from '@vpn/db';
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import { route } from '../http/route.js';
import type { RouteDeps } from './deps.js';

const paymentId = z.object({ id: z.uuid() });

/** `<ISO time>_<uuid>` of the previous page's last payment. */
const cursor = z
  .string()
  .regex(/^[0-9T:.Z-]{20,30}_[0-9a-f-]{36}$/i, 'must be the `next` value of the previous page')
  .transform((v) => {
    const [at, id] = v.split('_') as [string, string];
    return { createdAt: new Date(at), id };
  });

/** Payments: the latest with filters, a payment with its provider events, refunds. */
export function paymentRoutes(deps: RouteDeps) {
  const { db, backoffice } = deps;
  return [
    route({
      method: 'get',
      path: '/api/payments',
      summary: 'Payments, newest first, by status, provider or customer; paged by `before`',
      tag: 'payments',
      access: 'payments:read',
      query: z.object({
        status: z.enum(PAYMENT_STATUSES as [PaymentStatus, ...PaymentStatus[]]).optional(),
        provider: z
          .string()
          .regex(/^[a-z_]{2,32}$/)
          .optional(),
        userId: z.coerce.number().int().positive().optional(),
        before: cursor.optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
      async handler(_ctx, { query }) {
        const items = await db.repos.payments.listForStaff({
          ...(query.status ? { status: query.status } : {}),
          ...(query.provider ? { provider: query.provider } : {}),
          ...(query.userId ? { userId: query.userId } : {}),
          ...(query.before ? { before: query.before } : {}),
          limit: query.limit,
        });
        const last = items.at(-1);
        return { items, next: items.length === query.limit && last ? `${last.createdAt.toISOString()}_${last.id}` : null };
      },
    }),
    route({
      method: 'get',
      path: '/api/payments/:id',
      summary: 'A payment with its provider events',
      tag: 'payments',
      access: 'payments:read',
      params: paymentId,
      async handler(_ctx, { params }) {
        const payment = await db.repos.payments.get(params.id);
        if (!payment) throw new ApiError(404, 'not_found', `payment ${params.id} not found`);
        const events = await db.repos.paymentEvents.listByPayment(payment.id);
        return { payment, events };
      },
    }),
    route({
      method: 'post',
      path: '/api/payments/:id/refund',
      summary: 'Refund in full, or in part where the provider allows it; the ledger and access follow (once per requestId)',
      tag: 'payments',
      access: 'payments:refund',
      params: paymentId,
      body: z.object({
        amountMinor: z.number().int().positive().max(100_000_000).optional(),
        reason: z.string().max(500).optional(),
        requestId: z.uuid(),
        manual: z.boolean().optional(),
      }),
      handler: (ctx, { params, body }) =>
        backoffice.payments.refund(ctx.state.auth.actor, {
          paymentId: params.id,
          requestId: body.requestId,
          reason: body.reason ?? null,
          ...(body.amountMinor !== undefined ? { amountMinor: body.amountMinor } : {}),
          ...(body.manual !== undefined ? { manual: body.manual } : {}),
        }),
    }),
  ];
}
