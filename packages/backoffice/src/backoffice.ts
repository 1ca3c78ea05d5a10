import type { Actor } from './actor.js';
import { removeAdmin, saveAdmin } from './actions/admins.js';
import { block, unblock } from './actions/block.js';
import { controlBroadcast, createBroadcast, deleteBroadcastCopies, startBroadcast } from './actions/broadcasts.js';
import { adjustBalance } from './actions/adjust-balance.js';
import { exportCustomers, exportPayments } from './actions/export.js';
import { extend } from './actions/extend.js';
import { grantPlan } from './actions/grant-plan.js';
import { messageCustomer } from './actions/message.js';
import { moveOffDownServer, moveToServer } from './actions/move.js';
import { createPlan, movePlan, updatePlan } from './actions/plans.js';
import { createPromo, createPromoBatch, promoUsage, updatePromo } from './actions/promo.js';
import { refundPayment } from './actions/refund.js';
import { reissueKey } from './actions/reissue.js';
import { resetTraffic } from './actions/reset-traffic.js';
import { resetTrial } from './actions/reset-trial.js';
import { addServer, checkServer, testServer, updateServer } from './actions/servers.js';
import { listSettings, updateSetting } from './actions/settings.js';
import { shorten } from './actions/shorten.js';
import { createContext, type BackofficeContext, type BackofficeDeps } from './context.js';

type Action<I, O> = (ctx: BackofficeContext, actor: Actor, input: I) => Promise<O>;

/** Binds an action to the context: `(actor, input) => result`. */
const bind =
  <I, O>(ctx: BackofficeContext, action: Action<I, O>) =>
  (actor: Actor, input: I): Promise<O> =>
    action(ctx, actor, input);

/**
 * The back office: every action staff take, grouped by what it acts on. Each call checks the
 * actor's permission, validates its input, makes the change through billing / vpn (one place
 * for each rule) and appends its audit entry in the same transaction. Nothing connects here.
 *
 * ```ts
 * const backoffice = createBackoffice({ db, billing, payments, logger });
 * const actor = await loadActor(db, ctx.from.id);
 * await backoffice.customers.extend(actor, { userId, days: 7, reason: 'outage' });
 * ```
 */
export function createBackoffice(deps: BackofficeDeps) {
  const ctx = createContext(deps);
  return {
    customers: {
      extend: bind(ctx, extend),
      shorten: bind(ctx, shorten),
      grantPlan: bind(ctx, grantPlan),
      block: bind(ctx, block),
      unblock: bind(ctx, unblock),
      reissueKey: bind(ctx, reissueKey),
      resetTraffic: bind(ctx, resetTraffic),
      moveToServer: bind(ctx, moveToServer),
      resetTrial: bind(ctx, resetTrial),
      message: bind(ctx, messageCustomer),
      adjustBalance: bind(ctx, adjustBalance),
      export: bind(ctx, exportCustomers),
    },
    /** What customers do themselves through a back-office rule (no staff actor; audited as the system). */
    self: {
      moveOffDownServer: (input: { userId: number; outageId: number }) => moveOffDownServer(ctx, input),
    },
    payments: {
      refund: bind(ctx, refundPayment),
      export: bind(ctx, exportPayments),
    },
    plans: {
      create: bind(ctx, createPlan),
      update: bind(ctx, updatePlan),
      move: bind(ctx, movePlan),
    },
    promo: {
      create: bind(ctx, createPromo),
      createBatch: bind(ctx, createPromoBatch),
      update: bind(ctx, updatePromo),
      usage: bind(ctx, promoUsage),
    },
    servers: {
      test: bind(ctx, testServer),
      add: bind(ctx, addServer),
      update: bind(ctx, updateServer),
      check: bind(ctx, checkServer),
    },
    broadcasts: {
      create: bind(ctx, createBroadcast),
      start: bind(ctx, startBroadcast),
      control: bind(ctx, controlBroadcast),
      deleteCopies: bind(ctx, deleteBroadcastCopies),
    },
    settings: {
      list: (actor: Actor) => listSettings(ctx, actor),
      update: bind(ctx, updateSetting),
    },
    admins: {
      save: bind(ctx, saveAdmin),
      remove: bind(ctx, removeAdmin),
    },
  };
}

export type Backoffice = ReturnType<typeof createBackoffice>;
