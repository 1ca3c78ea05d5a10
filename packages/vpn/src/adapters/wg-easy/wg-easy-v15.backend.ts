import type { HttpClient } from '../../http/http-client.js';
import { oldestFirst, send, type WgBackend } from './wg-easy.backend.js';
import { V15_UPDATE_KEYS, type WgClientView, type WgV15Client, type WgV15ListClient } from './wg-easy.types.js';

const view = (c: WgV15ListClient): WgClientView => ({
  id: String(c.id),
  name: c.name,
  enabled: c.enabled,
  expiresAt: c.expiresAt,
  createdAt: c.createdAt,
  latestHandshakeAt: c.latestHandshakeAt,
  transferRx: c.transferRx ?? 0,
  transferTx: c.transferTx ?? 0,
});

const sameInstant = (a: string | null, b: Date | null): boolean =>
  a === null ? b === null : b !== null && new Date(a).getTime() === b.getTime();

/** The v15 API (specs/wireguard-wg-easy.md §5) over an HTTP client that sends Basic auth. */
export function createV15Backend(http: HttpClient) {
  const list = async (filter?: string): Promise<WgV15ListClient[]> =>
    (await send(http, { method: 'GET', path: '/api/client', query: { filter } })).json<WgV15ListClient[]>();

  const backend: WgBackend & { oneTimeLink(id: string): Promise<string | null> } = {
    generation: 15,
    all: async () => (await list()).map(view).sort(oldestFirst),
    // `filter` is a substring match on name/IPs: re-check equality here.
    find: async (name) =>
      (await list(name))
        .filter((c) => c.name === name)
        .map(view)
        .sort(oldestFirst),
    async create(name, expiresAt) {
      // Both keys are required; expiresAt may be null (§5).
      await send(http, { method: 'POST', path: '/api/client', json: { name, expiresAt: expiresAt?.toISOString() ?? null } });
    },
    async apply(client, want) {
      if (client.enabled === want.enabled && sameInstant(client.expiresAt, want.expiresAt)) return;
      // The update replaces the whole object and every key is required (§5.1): read, change
      // only what we mean to, and send back every updatable key this version returned.
      const full = (await send(http, { method: 'GET', path: `/api/client/${client.id}` })).json<WgV15Client>();
      const body: Record<string, unknown> = {};
      for (const key of V15_UPDATE_KEYS) if (key in full) body[key] = full[key];
      body.enabled = want.enabled;
      body.expiresAt = want.expiresAt?.toISOString() ?? null;
      await send(http, { method: 'POST', path: `/api/client/${client.id}`, json: body });
    },
    async setEnabled(id, enabled) {
      // Enabling a client whose expiresAt has passed answers 422 (a PanelError 'rejected').
      await send(http, { method: 'POST', path: `/api/client/${id}/${enabled ? 'enable' : 'disable'}` });
    },
    async remove(id) {
      await send(http, { method: 'DELETE', path: `/api/client/${id}` }, [404]);
    },
    configuration: async (id) => (await send(http, { method: 'GET', path: `/api/client/${id}/configuration` })).text,
    /** Creates a one-time link (valid 5 minutes) and returns its token. */
    async oneTimeLink(id) {
      await send(http, { method: 'POST', path: `/api/client/${id}/generateOneTimeLink` });
      return (await list()).find((c) => String(c.id) === id)?.oneTimeLink?.oneTimeLink ?? null;
    },
  };
  return backend;
}

export type V15Backend = ReturnType<typeof createV15Backend>;
