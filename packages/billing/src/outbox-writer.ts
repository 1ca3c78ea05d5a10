import type { Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import {
  OUTBOX_KIND,
  dedupeKey,
  type NotifyKind,
  type NotifyPayload,
  type ProvisionPayload,
  type ProvisionReason,
} from './outbox-messages.js';

/** Queues provisioning of `sub` at its current version (written with the transaction's other rows). */
export async function enqueueProvision(
  ctx: BillingContext,
  sub: { id: number; version: number },
  reason: ProvisionReason,
  tx: Transaction,
): Promise<void> {
  const payload: ProvisionPayload = { subscriptionId: sub.id, version: sub.version, reason };
  await ctx.enqueue({ kind: OUTBOX_KIND.provision, payload: { ...payload }, dedupeKey: dedupeKey.provision(sub.id, sub.version) }, tx);
}

/** Queues one customer notification; a repeat with the same user, kind and reference adds nothing. */
export async function enqueueNotice<K extends NotifyKind>(ctx: BillingContext, notice: NotifyPayload<K>, tx: Transaction): Promise<void> {
  await ctx.enqueue(
    { kind: OUTBOX_KIND.notify, payload: { ...notice }, dedupeKey: dedupeKey.notify(notice.userId, notice.kind, notice.reference) },
    tx,
  );
}
