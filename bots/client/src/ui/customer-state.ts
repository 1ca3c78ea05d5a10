import { paymentKeepsKey } from '@vpn/billing';
import type { Plan, Subscription, VpnAccount } from '@vpn/db';
import type { ClientContext } from '../context.js';
import type { FeatureDeps } from '../features/feature-deps.js';
import { daysLeft, formatDate } from './format.js';
import { once } from './memo.js';

type StateDeps = Pick<FeatureDeps, 'billing' | 'catalog' | 'db' | 'live' | 'now' | 'timeZone'>;

/** The customer's live subscription, else their latest one, else null (read once per update). */
export function currentSubscription(ctx: ClientContext, deps: StateDeps): Promise<Subscription | null> {
  return once(ctx, 'subscription', () => deps.live.currentSubscription(ctx.customer.id));
}

/** The plan of a subscription (null for a trial). */
export function planOf(ctx: ClientContext, deps: StateDeps, sub: Subscription | null): Promise<Plan | null> {
  const planId = sub?.planId ?? null;
  return planId === null ? Promise.resolve(null) : deps.catalog.plan(planId);
}

/** The panel account realising a subscription (the first one; placement keeps one per subscription). */
export async function accountOf(ctx: ClientContext, deps: StateDeps, sub: Subscription | null): Promise<VpnAccount | null> {
  if (!sub) return null;
  const accounts = await once(ctx, `accounts:${sub.id}`, () => deps.live.accounts(sub.id));
  return accounts.find((a) => a.syncState !== 'deleted' && a.syncState !== 'deleting') ?? null;
}

/** Access works now: active and not past its end (the expiry sweep may lag by minutes). */
export function isRunning(sub: Subscription | null, now: Date): sub is Subscription & { endsAt: Date } {
  return sub !== null && sub.status === 'active' && sub.endsAt !== null && sub.endsAt.getTime() > now.getTime();
}

/**
 * The free trial is offered only while the configuration offers it (`trial.enabled`) and to
 * customers who never had it nor any subscription.
 */
export async function trialAvailable(ctx: ClientContext, deps: StateDeps): Promise<boolean> {
  if (ctx.customer.trialUsedAt) return false;
  if (!(await deps.billing.settings()).trialEnabled) return false;
  return (await currentSubscription(ctx, deps)) === null;
}

/**
 * What a payment brings besides the receipt, read before it is made: a first subscription's link
 * (the worker sends it once provisioned), or, for a customer who has a subscription already, that
 * their key keeps working (no new link is sent: the config goes out once per subscription).
 */
export async function afterPaymentNote(ctx: ClientContext, deps: StateDeps): Promise<string> {
  return ctx.t(paymentKeepsKey(await currentSubscription(ctx, deps)) ? 'client.payment.keyKept' : 'client.payment.linkFollows');
}

/** One line about the subscription for the main menu and other screens. */
export function statusLine(ctx: ClientContext, deps: StateDeps, sub: Subscription | null): string {
  const now = deps.now();
  const lng = ctx.i18n.language;
  if (!sub) return ctx.t('client.status.none');
  const date = sub.endsAt ? formatDate(sub.endsAt, lng, deps.timeZone) : '—';
  if (isRunning(sub, now)) {
    const days = daysLeft(sub.endsAt, now);
    return sub.isTrial ? ctx.t('client.status.trial', { date, count: days }) : ctx.t('client.status.active', { date, count: days });
  }
  if (sub.status === 'suspended') return ctx.t('client.status.suspended');
  if (sub.status === 'pending') return ctx.t('client.status.pending');
  return ctx.t('client.status.expired', { date });
}
