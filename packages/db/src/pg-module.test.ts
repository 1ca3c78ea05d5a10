import { describe, expect, it } from 'vitest';
import { parseInt8, pgModule } from './pg-module.js';

describe('int8 parsing', () => {
  it('reads Telegram-sized ids as numbers and refuses unsafe ones', () => {
    expect(parseInt8('7000000000123')).toBe(7_000_000_000_123);
    expect(parseInt8('-5')).toBe(-5);
    expect(() => parseInt8('9007199254740993')).toThrow(RangeError);
  });

  it('parses int8 and int8[] through the module given to Sequelize', () => {
    const scalar = pgModule.types.getTypeParser(20) as (v: string) => unknown;
    const array = pgModule.types.getTypeParser(1016) as (v: string) => unknown;
    expect(scalar('42')).toBe(42);
    expect(array('{1,5000000000}')).toEqual([1, 5_000_000_000]);
  });
});
