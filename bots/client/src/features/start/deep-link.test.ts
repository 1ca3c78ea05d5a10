import { describe, expect, it } from 'vitest';
import { parseStartPayload, promoLink, referralLink, START_PAYLOAD_MAX } from './deep-link.js';

describe('start deep links', () => {
  it('reads referral, promo and campaign payloads', () => {
    expect(parseStartPayload('ref_Ab3-x_9Z')).toEqual({ kind: 'ref', code: 'Ab3-x_9Z' });
    expect(parseStartPayload('promo_spring25')).toEqual({ kind: 'promo', code: 'SPRING25' });
    expect(parseStartPayload('c_Telegram_Ads')).toEqual({ kind: 'campaign', tag: 'telegram_ads' });
  });

  it('ignores nothing, unknown kinds and malformed or oversized payloads', () => {
    for (const bad of [undefined, '', '   ', 'hello', 'ref_', 'ref_a b', 'ref_<script>', 'x_abc', `c_${'a'.repeat(61)}`, 'r'.repeat(65)]) {
      expect(parseStartPayload(bad)).toBeUndefined();
    }
  });

  it('builds links whose payload fits the 64-character start parameter', () => {
    const ref = referralLink('vpn_bot', 'Ab3-x_9Z');
    expect(ref).toBe('https://t.me/vpn_bot?start=ref_Ab3-x_9Z');
    const payload = new URL(promoLink('vpn_bot', 'A'.repeat(58))).searchParams.get('start') ?? '';
    expect(payload.length).toBeLessThanOrEqual(START_PAYLOAD_MAX);
    expect(parseStartPayload(payload)).toEqual({ kind: 'promo', code: 'A'.repeat(58) });
  });
});
