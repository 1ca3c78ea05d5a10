import { describe, expect, it } from 'vitest';
import { RateLimiter, TELEGRAM_RATE_LIMITS } from './rate-limit.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateLimiter (token buckets)', () => {
  it("allows a private chat's burst, then one message per second", () => {
    const c = clock();
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS, c.now);
    for (let i = 0; i < 3; i++) expect(limiter.take(1, 10, 'private')).toEqual({ ok: true });
    expect(limiter.take(1, 10, 'private')).toEqual({ ok: false, retryAfter: 1 });
    c.advance(999);
    expect(limiter.take(1, 10, 'private').ok).toBe(false);
    c.advance(1);
    expect(limiter.take(1, 10, 'private')).toEqual({ ok: true });
  });

  it('keeps chats and bots apart', () => {
    const limiter = new RateLimiter({ privateChat: { burst: 1, perSecond: 1 } }, clock().now);
    expect(limiter.take(1, 10, 'private').ok).toBe(true);
    expect(limiter.take(1, 11, 'private').ok).toBe(true);
    expect(limiter.take(2, 10, 'private').ok).toBe(true);
    expect(limiter.take(1, 10, 'private').ok).toBe(false);
  });

  it('limits a group to 20 per minute and says how long to wait', () => {
    const c = clock();
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS, c.now);
    for (let i = 0; i < 20; i++) expect(limiter.take(1, -100, 'group').ok).toBe(true);
    expect(limiter.take(1, -100, 'group')).toEqual({ ok: false, retryAfter: 3 });
    c.advance(3_000);
    expect(limiter.take(1, -100, 'group').ok).toBe(true);
  });

  it('limits a bot to about 30 per second over all chats, taking no token from a refused message', () => {
    const c = clock();
    const limiter = new RateLimiter(TELEGRAM_RATE_LIMITS, c.now);
    for (let chat = 1; chat <= 30; chat++) expect(limiter.take(1, chat, 'private').ok).toBe(true);
    expect(limiter.take(1, 31, 'private')).toEqual({ ok: false, retryAfter: 1 });
    c.advance(34);
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
});
