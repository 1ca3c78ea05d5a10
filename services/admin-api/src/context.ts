import type Koa from 'koa';
import type { Actor } from '@vpn/backoffice';
import type { Admin } from '@vpn/db';
import type { Logger } from '@vpn/logger';

/** Who is signed in for this request: the actor (fresh from the admins table) and their sign-in. */
export interface Auth {
  actor: Actor;
  admin: Admin;
  /** The sign-in family the access token belongs to (logout revokes it). */
  familyId: string;
  /** Cookie sign-ins must prove writes with the CSRF header; Bearer ones cannot be forged cross-site. */
  via: 'cookie' | 'bearer';
}

export interface AppState extends Koa.DefaultState {
  requestId: string;
  log: Logger;
  auth?: Auth;
}

export type AppContext = Koa.ParameterizedContext<AppState>;
export type AppMiddleware = Koa.Middleware<AppState>;
