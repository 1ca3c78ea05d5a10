import { describe, expect, it } from 'vitest';
import { deleteOrder } from './truncate.js';

describe('deleteOrder', () => {
  it('puts referencing tables before the tables they reference, ignoring self references', () => {
    const order = deleteOrder(
      ['users', 'payments', 'subscriptions', 'events', 'plans'],
      [
        { child: 'users', parent: 'users' },
        { child: 'subscriptions', parent: 'users' },
        { child: 'payments', parent: 'users' },
        { child: 'payments', parent: 'subscriptions' },
        { child: 'events', parent: 'payments' },
        { child: 'events', parent: 'subscriptions' },
        { child: 'subscriptions', parent: 'plans' },
      ],
    );
    const before = (a: string, b: string) => order.indexOf(a) < order.indexOf(b);
    expect(order).toHaveLength(5);
    expect(before('events', 'payments')).toBe(true);
    expect(before('payments', 'subscriptions')).toBe(true);
    expect(before('subscriptions', 'users')).toBe(true);
    expect(before('subscriptions', 'plans')).toBe(true);
  });
});
