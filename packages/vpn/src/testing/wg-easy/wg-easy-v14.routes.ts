import QRCode from 'qrcode';
import { parseBody, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-server.js';
import { clientConfiguration, type WgClient, type WgEasyStore } from './wg-easy.store.js';

/** v14 errors are `{"error": "<text>"}` with the status (specs/wireguard-wg-easy.md §7). */
export const v14Error = (status: number, error: string): EmulatorResponse => ({ status, json: { error } });

/** A client as v14 lists it: uuid id, one IPv4 `address`, no expiry. */
function v14View(c: WgClient): Record<string, unknown> {
  return {
    id: c.uuid,
    name: c.name,
    enabled: c.enabled,
    address: c.ipv4Address,
    publicKey: c.publicKey,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    allowedIPs: (c.allowedIps ?? []).join(', ') || '0.0.0.0/0, ::/0',
    downloadableConfig: true,
    persistentKeepalive: String(c.persistentKeepalive),
    latestHandshakeAt: c.latestHandshakeAt ? c.latestHandshakeAt.toISOString() : null,
    transferRx: c.transferRx,
    transferTx: c.transferTx,
  };
}

/** The legacy v14 API under `/api/wireguard/client` (§7). */
export function v14Routes(store: WgEasyStore, now: () => Date): Route[] {
  const ok: EmulatorResponse = { status: 200, json: { success: true } };
  const withClient =
    (fn: (c: WgClient, req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>) =>
    (req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse> => {
      const c = store.byUuid(req.params.clientId ?? '');
      return c ? fn(c, req) : v14Error(404, `Client Not Found: ${req.params.clientId}`);
    };
  const conf = (c: WgClient): string => clientConfiguration(store, c, 14);
  const base = '/api/wireguard/client';

  return [
    { method: 'GET', path: base, handler: () => ({ status: 200, json: store.all().map(v14View) }) },
    {
      method: 'POST',
      path: base,
      handler: (req) => {
        const name = parseBody(req)?.name;
        if (typeof name !== 'string' || name === '') return v14Error(400, 'Missing: Name');
        store.create(name, null);
        // v14 returns no id: callers list and match by name.
        return ok;
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:clientId`,
      handler: (req) => {
        const c = store.byUuid(req.params.clientId ?? '');
        if (c) store.clients.delete(c.id);
        return ok;
      },
    },
    { method: 'POST', path: `${base}/:clientId/enable`, handler: withClient((c) => ((c.enabled = true), (c.updatedAt = now()), ok)) },
    { method: 'POST', path: `${base}/:clientId/disable`, handler: withClient((c) => ((c.enabled = false), (c.updatedAt = now()), ok)) },
    {
      method: 'PUT',
      path: `${base}/:clientId/name`,
      handler: withClient((c, req) => {
        const name = parseBody(req)?.name;
        if (typeof name !== 'string' || name === '') return v14Error(400, 'Missing: Name');
        c.name = name;
        return ok;
      }),
    },
    {
      method: 'PUT',
      path: `${base}/:clientId/address`,
      handler: withClient((c, req) => {
        const address = parseBody(req)?.address;
        if (typeof address !== 'string' || !/^\d+\.\d+\.\d+\.\d+$/.test(address)) return v14Error(400, 'Invalid Address');
        c.ipv4Address = address;
        return ok;
      }),
    },
    {
      method: 'GET',
      path: `${base}/:clientId/configuration`,
      handler: withClient((c) => ({
        status: 200,
        text: conf(c),
        headers: {
          'content-type': 'text/plain',
          'content-disposition': `attachment; filename="${c.name.replace(/[^a-zA-Z0-9_=+.-]/g, '-').slice(0, 32)}.conf"`,
        },
      })),
    },
    {
      method: 'GET',
      path: `${base}/:clientId/qrcode.svg`,
      handler: withClient(async (c) => ({
        status: 200,
        text: await QRCode.toString(conf(c), { type: 'svg' }),
        headers: { 'content-type': 'image/svg+xml' },
      })),
    },
  ];
}
