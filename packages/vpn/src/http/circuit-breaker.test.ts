import { describe, expect, it } from 'vitest';
import { PanelError } from '../adapter.js';
import { createBreakerRegistry, createCircuitBreaker } from './circuit-breaker.js';

const down = async (): Promise<never> => {
  throw new PanelError('unreachable', 'down');
};

describe('createCircuitBreaker', () => {
  it('opens after N consecutive failures, fails fast, half-opens after the cool-down and closes on success', async () => {
    let clock = 0;
    const changes: string[] = [];
    const breaker = createCircuitBreaker({
      failureThreshold: 3,
      cooldownMs: 1_000,
      now: () => clock,
      onStateChange: (s) => changes.push(s),
    });
    for (let i = 0; i < 3; i++) await expect(breaker.run(down)).rejects.toMatchObject({ code: 'unreachable' });
    expect(breaker.state).toBe('open');

    let called = false;
    await expect(breaker.run(async () => (called = true))).rejects.toMatchObject({ code: 'circuit_open' });
    expect(called).toBe(false);

    clock = 1_000;
    expect(breaker.state).toBe('half-open');
    await expect(breaker.run(async () => 'ok')).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('lets one trial through when half-open and reopens when it fails', async () => {
    let clock = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: () => clock });
    await expect(breaker.run(down)).rejects.toThrow();
    clock = 100;
    let release!: () => void;
    const trial = breaker.run(() => new Promise<never>((_, reject) => (release = () => reject(new PanelError('timeout', 'slow')))));
    await expect(breaker.run(async () => 'second')).rejects.toMatchObject({ code: 'circuit_open' });
    release();
    await expect(trial).rejects.toMatchObject({ code: 'timeout' });
    expect(breaker.state).toBe('open');
  });

  it('does not count answers that say nothing about health, and a success resets the count', async () => {
    const breaker = createCircuitBreaker({ failureThreshold: 2, cooldownMs: 100 });
    await expect(breaker.run(down)).rejects.toThrow();
    await breaker.run(async () => 1);
    await expect(breaker.run(down)).rejects.toThrow();
    await expect(
      breaker.run(async () => {
        throw new PanelError('not_found', 'no user', { status: 404 });
      }),
    ).rejects.toThrow();
    expect(breaker.state).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(1);
  });

  it('keeps one breaker per server in a registry', () => {
    const registry = createBreakerRegistry({ failureThreshold: 1, cooldownMs: 10 });
    expect(registry.get(1)).toBe(registry.get('1'));
    expect(registry.get(1)).not.toBe(registry.get(2));
  });
});
