import { describe, expect, it } from 'vitest';
import type { SupportRelay } from '@vpn/db';
import { relayBatches } from './relay-batches.js';

const row = (messageId: number, mediaGroupId: string | null = null) => ({ messageId, mediaGroupId }) as SupportRelay;

describe('relayBatches', () => {
  it('keeps albums together and everything else one by one, in order', () => {
    const batches = relayBatches([row(1), row(2, 'a'), row(3, 'a'), row(4, 'b'), row(5), row(6, 'b')]);
    expect(batches.map((b) => b.map((r) => r.messageId))).toEqual([[1], [2, 3], [4], [5], [6]]);
  });
});
