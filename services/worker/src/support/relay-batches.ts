import type { SupportRelay } from '@vpn/db';

/**
 * Splits a customer's unfinished relays (oldest first) into copies: an album (consecutive rows
 * sharing a `media_group_id`) is one `copyMessages` call so it stays an album; anything else is
 * one `copyMessage`, which can keep a reply.
 */
export function relayBatches(rows: readonly SupportRelay[]): SupportRelay[][] {
  const batches: SupportRelay[][] = [];
  for (const row of rows) {
    const last = batches.at(-1);
    const group = row.mediaGroupId;
    if (last && group !== null && last[0]!.mediaGroupId === group) last.push(row);
    else batches.push([row]);
  }
  return batches;
}
