import { describe, expect, it } from 'vitest';
import { parseButtons, parseWhen } from './draft.js';

describe('broadcast draft input', () => {
  it('buttons: rows by line, buttons by ";", label | link; "-" clears; limits named', () => {
    expect(parseButtons('A | https://a.example; B | tg://resolve?domain=x\nC|https://c.example')).toEqual({
      rows: [
        [
          { text: 'A', url: 'https://a.example' },
          { text: 'B', url: 'tg://resolve?domain=x' },
        ],
        [{ text: 'C', url: 'https://c.example' }],
      ],
    });
    expect(parseButtons(' - ')).toEqual({ rows: null });
    expect(parseButtons('a|https://x.y\nb|https://x.y\nc|https://x.y\nd|https://x.y')).toEqual({ problem: 'rows' });
    expect(parseButtons('a|https://x.y;b|https://x.y;c|https://x.y;d|https://x.y;e|https://x.y')).toEqual({ problem: 'perRow' });
    for (const bad of ['no link', '| https://x.y', 'A | javascript:alert(1)', `${'x'.repeat(65)} | https://x.y`])
      expect(parseButtons(bad)).toEqual({ problem: 'format' });
  });

  it('time: a full date or the next HH:MM, in the admin time zone', () => {
    const now = new Date('2026-12-07T19:00:00Z'); // 22:00 in Moscow
    expect(parseWhen('2026-12-08 09:30', 'Europe/Moscow', now)?.toISOString()).toBe('2026-12-08T06:30:00.000Z');
    expect(parseWhen('23:15', 'Europe/Moscow', now)?.toISOString()).toBe('2026-12-07T20:15:00.000Z');
    expect(parseWhen('21:00', 'Europe/Moscow', now)?.toISOString()).toBe('2026-12-08T18:00:00.000Z');
    for (const bad of ['tomorrow', '25:00', '2026-13-01 10:00', '']) expect(parseWhen(bad, 'Europe/Moscow', now)).toBeNull();
  });
});
