import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { KoaAdapter } from '@bull-board/koa';
import { authorize } from '@vpn/backoffice';
import type { Database } from '@vpn/db';
import { queues as contracts, type Queue, type QueueContract, type QueueFactory } from '@vpn/queues';
import type { ZodType } from 'zod';
import type { Authenticate } from '../auth/authenticate.js';
import type { AppMiddleware } from '../context.js';
import { ApiError } from './errors.js';

/** Every queue of the platform, opened on `factory` (the worker's prefix), for the board. */
export function platformQueues(factory: QueueFactory): Queue[] {
  // The contracts differ in payload type; the board reads jobs as plain JSON.
  return Object.values(contracts).map((contract) => factory.queue(contract as QueueContract<ZodType>) as Queue);
}

/** Under `/api` so the access cookie (Path=/api) reaches it. */
export const QUEUE_BOARD_PATH = '/api/queues';

/**
 * Bull Board for the platform's queues, behind the same sign-in as the dashboard and only for
 * roles with `queues:manage` (owner, admin): it can retry, promote, clean and remove jobs. Its
 * writes come from its own page, which sends no CSRF header: they are accepted only from this
 * origin (the cookies are SameSite=Strict as well) and each one is written to the audit log.
 */
export function queueBoard(deps: {
  queues: Queue[];
  authenticate: Authenticate;
  db: Pick<Database, 'repos'>;
  /** The board's title: the operator's environment (e.g. the queue prefix). */
  title: string;
}): AppMiddleware {
  const adapter = new KoaAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: deps.queues.map((q) => new BullAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: deps.title } },
  });
  const board = adapter.registerPlugin();
  return async (ctx, next) => {
    if (ctx.path !== QUEUE_BOARD_PATH && !ctx.path.startsWith(`${QUEUE_BOARD_PATH}/`)) {
      await next();
      return;
    }
    const write = ctx.method !== 'GET' && ctx.method !== 'HEAD';
    const auth = await deps.authenticate(ctx, false);
    authorize(auth.actor, 'queues:manage');
    // Koa 3's `ctx.origin` is the Origin header itself: compare with this server's own address.
    if (write && ctx.get('origin') !== `${ctx.protocol}://${ctx.host}`)
      throw new ApiError(403, 'csrf', 'queue changes are accepted only from this dashboard’s own page');
    // The board's page keeps its own scripts and styles; it still may never be framed.
    ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
    ctx.set('X-Frame-Options', 'DENY');
    await board(ctx, next);
    if (write && ctx.status < 400)
      await deps.db.repos.auditLog.append({
        actorKind: 'admin',
        actorId: auth.actor.adminId,
        action: 'queue.change',
        entity: 'queue',
        entityId: ctx.path.slice(QUEUE_BOARD_PATH.length).split('/')[3] ?? null,
        data: { method: ctx.method, path: ctx.path.slice(QUEUE_BOARD_PATH.length) },
      });
  };
}
