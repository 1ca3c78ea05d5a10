import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemnawaveEmulator, type RemnawaveEmulator } from './index.js';

let emu: RemnawaveEmulator;
beforeAll(async () => {
  emu = await createRemnawaveEmulator();
});
afterAll(() => emu.close());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${emu.apiToken}`,
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'https',
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { response: { status: string; uuid: string; id: number } } };
};

describe('remnawave emulator fidelity (users.service.ts)', () => {
  it('applies a PATCH status DISABLED to an ACTIVE user only; the disable action works on any status', async () => {
    const created = await call('POST', '/api/users', {
      username: 'limited_u',
      expireAt: new Date(Date.now() + 86_400_000).toISOString(),
      trafficLimitBytes: 1000,
      activeInternalSquads: [emu.squads[0]!.uuid],
    });
    expect(created.status).toBe(201);
    emu.setUsedTraffic('limited_u', 2000);
    const id = created.body.response.id;
    expect((await call('GET', `/api/users/${id}`)).body.response.status).toBe('LIMITED');
    const patched = await call('PATCH', '/api/users', { id, status: 'DISABLED' });
    expect(patched.body.response.status).toBe('LIMITED');
    expect((await call('POST', `/api/users/${id}/actions/disable`)).body.response.status).toBe('DISABLED');
    // ACTIVE re-activates any user (unlimited now, so the traffic job leaves it); DISABLED then applies.
    expect((await call('PATCH', '/api/users', { id, status: 'ACTIVE', trafficLimitBytes: 0 })).body.response.status).toBe('ACTIVE');
    expect((await call('PATCH', '/api/users', { id, status: 'DISABLED' })).body.response.status).toBe('DISABLED');
  });
});
