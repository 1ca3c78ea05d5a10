import { describe, expect, it } from 'vitest';
import { RateLimiter, TELEGRAM_RATE_LIMITS } from './rate-limit.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateLimiter (token buckets)', () => {
  it("allows a private chat's burst, then one message per second (without a flood wait: until the next token)", () => {
    const c = clock();
    const limiter = new RateLimiter({ privateChat: { burst: 3, perSecond: 1 } }, c.now);
    for (let i = 0; i < 3; i++) expect(limiter.take(1, 10, 'private')).toEqual({ ok: true, paid: false });
    expect(limiter.take(1, 10, 'private')).toEqual({ ok: false, retryAfter: 1 });
    c.advance(999);
    expect(limiter.take(1, 10, 'private').ok).toBe(false);
    c.advance(1);
    expect(limiter.take(1, 10, 'private')).toEqual({ ok: true, paid: false });
  });

  it('keeps chats and bots apart', () => {
    const limiter = new RateLimiter({ privateChat: { burst: 1, perSecond: 1 } }, clock().now);
    expect(limiter.take(1, 10, 'private').ok).toBe(true);
    expect(limiter.take(1, 11, 'private').ok).toBe(true);
    expect(limiter.take(2, 10, 'private').ok).toBe(true);
    expect(limiter.take(1, 10, 'private').ok).toBe(false);
  });

  it("limits a group to 20 per minute and hands out Telegram's real-sized flood wait by default", () => {
    const c = clock();
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS, c.now);
    for (let i = 0; i < 20; i++) expect(limiter.take(1, -100, 'group').ok).toBe(true);
    expect(limiter.take(1, -100, 'group')).toEqual({ ok: false, retryAfter: 30 });
    // A token is back after 3 s; the flood wait still holds, counting down.
    c.advance(3_000);
    expect(limiter.take(1, -100, 'group')).toEqual({ ok: false, retryAfter: 27 });
    c.advance(27_000);
    expect(limiter.take(1, -100, 'group').ok).toBe(true);
  });

  it('gives a flooded private chat seconds, not the next token', () => {
    const c = clock();
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS, c.now);
    for (let i = 0; i < 3; i++) expect(limiter.take(1, 10, 'private').ok).toBe(true);
    expect(limiter.take(1, 10, 'private')).toEqual({ ok: false, retryAfter: 8 });
    c.advance(8_000);
    expect(limiter.take(1, 10, 'private').ok).toBe(true);
  });

  it('limits a bot to about 30 per second over all chats, taking no token from a refused message', () => {
    const c = clock();
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS, c.now);
    for (let chat = 1; chat <= 30; chat++) expect(limiter.take(1, chat, 'private').ok).toBe(true);
    expect(limiter.take(1, 31, 'private')).toEqual({ ok: false, retryAfter: 5 });
    c.advance(5_000);
    // One global token came back; chat 31's own bucket was never charged by the refusal.
    expect(limiter.take(1, 31, 'private').ok).toBe(true);
  });

  it('can be turned off and reconfigured', () => {
    const limiter = new RateLimiter(false, clock().now);
    for (let i = 0; i < 100; i++) expect(limiter.take(1, 10, 'private').ok).toBe(true);
    limiter.configure({ privateChat: { burst: 1, perSecond: 0.5 } });
    expect(limiter.take(1, 10, 'private').ok).toBe(true);
    expect(limiter.take(1, 10, 'private')).toEqual({ ok: false, retryAfter: 2 });
    expect(limiter.current).toMatchObject({ privateChat: { burst: 1, perSecond: 0.5 } });
  });

  it('holds an overrun bucket for its configured flood wait, refusing every message that touches it', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { burst: 2, perSecond: 2, retryAfter: 12 } }, c.now);
    expect(limiter.take(1, 1, 'private').ok).toBe(true);
    expect(limiter.take(1, 2, 'private').ok).toBe(true);
    expect(limiter.take(1, 3, 'private')).toEqual({ ok: false, retryAfter: 12 });
    // Tokens are back long before the wait is over; the wait counts down, it does not restart.
    c.advance(5_000);
    expect(limiter.take(1, 4, 'private')).toEqual({ ok: false, retryAfter: 7 });
    c.advance(6_500);
    expect(limiter.take(1, 4, 'private')).toEqual({ ok: false, retryAfter: 1 });
    c.advance(500);
    expect(limiter.take(1, 4, 'private')).toEqual({ ok: true, paid: false });
    // Another bot was never held.
    expect(limiter.take(2, 4, 'private').ok).toBe(true);
  });

  it('lets a paid broadcast past the free global rate on paid tokens, never past the chat limit', () => {
    const c = clock();
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS, c.now);
    for (let chat = 1; chat <= 30; chat++) expect(limiter.take(1, chat, 'private', { paid: true })).toEqual({ ok: true, paid: false });
    for (let chat = 31; chat <= 1030; chat++) expect(limiter.take(1, chat, 'private', { paid: true })).toEqual({ ok: true, paid: true });
    expect(limiter.take(1, 1031, 'private', { paid: true })).toEqual({ ok: false, retryAfter: 1 });
    expect(limiter.take(1, 1031, 'private')).toEqual({ ok: false, retryAfter: 5 });
    c.advance(1_000);
    for (let i = 0; i < 3; i++) expect(limiter.take(1, 7, 'private', { paid: true }).ok).toBe(true);
    expect(limiter.take(1, 7, 'private', { paid: true })).toEqual({ ok: false, retryAfter: 8 });
  });
});
