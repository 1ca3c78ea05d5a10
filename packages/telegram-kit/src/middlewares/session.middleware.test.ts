import { MemorySessionStorage } from 'grammy';
import { describe, expect, it, vi } from 'vitest';
import { skipUnchangedWrites } from './session.middleware.js';

describe('skipUnchangedWrites', () => {
  function storage() {
    const inner = new MemorySessionStorage<{ n: number; tags?: string[] }>();
    const write = vi.spyOn(inner, 'write');
    return { inner, write, outer: skipUnchangedWrites(inner) };
  }

  it('drops the write-back of a session read and left as it was', async () => {
    const { inner, write, outer } = storage();
    inner.write('k', { n: 1, tags: ['a'] });
    write.mockClear();
    const value = await outer.read('k');
    await outer.write('k', { ...value!, tags: ['a'] });
    expect(write).not.toHaveBeenCalled();
  });

  it('writes a changed session, a new one, and the second write of a key read once', async () => {
    const { inner, write, outer } = storage();
    await outer.read('new');
    await outer.write('new', { n: 0 });
    inner.write('k', { n: 1 });
    write.mockClear();
    await outer.read('k');
    await outer.write('k', { n: 2 });
    await outer.write('k', { n: 2 });
    expect(write.mock.calls).toEqual([
      ['k', { n: 2 }],
      ['k', { n: 2 }],
    ]);
    expect(inner.read('new')).toEqual({ n: 0 });
  });

  it('forgets what it read when the session is deleted', async () => {
    const { inner, write, outer } = storage();
    inner.write('k', { n: 1 });
    await outer.read('k');
    await outer.delete('k');
    write.mockClear();
    await outer.write('k', { n: 1 });
    expect(write).toHaveBeenCalledTimes(1);
  });
});
