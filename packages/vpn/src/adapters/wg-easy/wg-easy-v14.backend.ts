import type { HttpClient } from '../../http/http-client.js';
import { oldestFirst, send, type WgBackend } from './wg-easy.backend.js';
import type { WgClientView, WgV14Client } from './wg-easy.types.js';

const view = (c: WgV14Client): WgClientView => ({
  id: c.id,
  name: c.name,
  enabled: c.enabled,
  expiresAt: null,
  createdAt: c.createdAt,
  latestHandshakeAt: c.latestHandshakeAt,
  transferRx: c.transferRx ?? 0,
  transferTx: c.transferTx ?? 0,
});

const base = '/api/wireguard/client';

/**
 * The legacy v14 API (specs/wireguard-wg-easy.md §7) over an HTTP client that sends the raw
 * password. v14 has no expiry: `expiresAt` is not stored and our expiry sweep disables the client.
 */
export function createV14Backend(http: HttpClient): WgBackend {
  const all = async (): Promise<WgClientView[]> =>
    (await send(http, { method: 'GET', path: base })).json<WgV14Client[]>().map(view).sort(oldestFirst);
  const toggle = async (id: string, enabled: boolean): Promise<void> => {
    await send(http, { method: 'POST', path: `${base}/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}` });
  };
  return {
    generation: 14,
    all,
    find: async (name) => (await all()).filter((c) => c.name === name),
    async create(name) {
      // Answers {success:true} without an id: the caller lists and matches by name.
      await send(http, { method: 'POST', path: base, json: { name } });
    },
    async apply(client, want) {
      if (client.enabled !== want.enabled) await toggle(client.id, want.enabled);
    },
    setEnabled: toggle,
    async remove(id) {
      await send(http, { method: 'DELETE', path: `${base}/${encodeURIComponent(id)}` }, [404]);
    },
    configuration: async (id) => (await send(http, { method: 'GET', path: `${base}/${encodeURIComponent(id)}/configuration` })).text,
  };
}
