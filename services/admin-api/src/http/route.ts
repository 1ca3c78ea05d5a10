import type { Permission } from '@vpn/backoffice';
import type { z } from 'zod';
import type { AppContext, Auth } from '../context.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * Who may call a route: anyone (`public`, e.g. signing in), any signed-in admin, or an admin whose
 * role has the permission (the admin bot's one check, `authorize`).
 */
export type Access = 'public' | 'signed-in' | Permission;

export interface RouteInput<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined> {
  params: P extends AnyObject ? z.output<P> : Record<string, never>;
  query: Q extends AnyObject ? z.output<Q> : Record<string, never>;
  body: B extends z.ZodType ? z.output<B> : undefined;
}

/**
 * One route: its path, who may call it, the zod schemas of its input (they validate the request and
 * are the OpenAPI document), and the handler. Routers and `/api/openapi.json` are both built from
 * the same list, so a route cannot exist without being documented.
 */
export interface RouteSpec<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: Method;
  /** Koa style: `/api/users/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Answer status when the handler returns; default 200. */
  status?: number;
  /** Returns the JSON body (or sets `ctx.body` itself and returns undefined, e.g. CSV). */
  handler: (ctx: AppContext & { state: { auth: Auth } }, input: RouteInput<P, Q, B>) => Promise<unknown>;
}

/** Keeps the generic types of one route (a plain object literal would widen them). */
export function route<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec;
}

export const isWrite = (spec: Pick<RouteSpec, 'method'>) => spec.method !== 'get';
