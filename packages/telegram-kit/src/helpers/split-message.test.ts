import { validateTelegramHtml } from '@vpn/i18n';
import { describe, expect, it } from 'vitest';
import { MESSAGE_MAX_LENGTH, splitMessage } from './split-message.js';

describe('splitMessage', () => {
  it('keeps a short text whole', () => {
    expect(splitMessage('<b>Hello</b>\nworld')).toEqual(['<b>Hello</b>\nworld']);
  });

  it('breaks at line ends, never above the limit', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    const parts = splitMessage(lines.join('\n'));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MESSAGE_MAX_LENGTH);
    expect(parts.join('')).toBe(lines.join('\n'));
    for (const part of parts.slice(0, -1)) expect(part.endsWith('\n')).toBe(true);
  });

  it('closes tags at a break and reopens them in the next part', () => {
    const text = `<b>${'word '.repeat(10)}\n${'more '.repeat(10)}</b>\n<a href="https://x.y">tail</a>`;
    const parts = splitMessage(text, 60);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(60);
      expect(validateTelegramHtml(part)).toEqual([]);
    }
    expect(parts[0]).toMatch(/^<b>word .*<\/b>$/s);
    expect(parts[1]).toMatch(/^<b>more /);
    expect(parts.join('').replace(/<\/?b>/g, '')).toBe(text.replace(/<\/?b>/g, ''));
  });

  it('splits an over-long line at spaces, then anywhere but inside an entity or emoji', () => {
    expect(splitMessage('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb ', 'cccc']);
    const parts = splitMessage(`${'a'.repeat(8)}&amp;${'b'.repeat(8)}`, 10);
    expect(parts).toEqual(['aaaaaaaa', '&amp;bbbbb', 'bbb']);
    const emoji = splitMessage('😀😀😀😀😀😀', 5);
    expect(emoji).toEqual(['😀😀', '😀😀', '😀😀']);
  });

  it('never returns empty or whitespace-only parts', () => {
    const parts = splitMessage(`${'x'.repeat(10)}\n\n\n${'y'.repeat(10)}`, 11);
    expect(parts.every((p) => p.trim() !== '')).toBe(true);
    expect(parts.join('').replace(/\s/g, '')).toBe('x'.repeat(10) + 'y'.repeat(10));
  });

  it('refuses a limit that leaves no room inside the open tags', () => {
    expect(() => splitMessage(`<a href="https://example.com/long">${'z'.repeat(50)}</a>`, 38)).toThrow(RangeError);
  });
});
