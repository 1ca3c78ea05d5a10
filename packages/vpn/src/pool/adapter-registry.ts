import { PanelError, type PanelAdapter, type PanelKind } from '../adapter.js';
import { createXuiAdapter } from '../adapters/3x-ui/xui.adapter.js';
import { createMarzbanAdapter } from '../adapters/marzban/marzban.adapter.js';
import { createPasarGuardAdapter } from '../adapters/pasarguard/pasarguard.adapter.js';
import { createRemnawaveAdapter } from '../adapters/remnawave/remnawave.adapter.js';
import { createWgEasyAdapter } from '../adapters/wg-easy/wg-easy.adapter.js';

/**
 * What an adapter needs from a `servers` row (`ServerWithCredentials` of @vpn/db fits):
 * `credentials` are decrypted, `settings` is the panel-specific JSON an operator edits.
 */
export interface PanelServerConfig {
  id: number;
  name: string;
  panelKind: PanelKind;
  baseUrl: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
}

/** Process-wide knobs every adapter takes. */
export interface AdapterDeps {
  /** Per-call timeout (ms); default 10 s. */
  timeoutMs?: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
}

export type AdapterFactory = (server: PanelServerConfig, deps: AdapterDeps) => PanelAdapter;

/** Reads a required string from credentials/settings, with a message an operator can act on. */
function need(server: PanelServerConfig, where: 'credentials' | 'settings', key: string): string {
  const value = server[where][key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new PanelError('rejected', `server "${server.name}" (${server.panelKind}): ${where}.${key} is required`, {
    panel: server.panelKind,
  });
}
const opt = (server: PanelServerConfig, key: string): string | undefined => {
  const value = server.settings[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * One factory per panel kind. To add or change a panel: one line here, pointing at a function
 * that maps the row to the adapter's options. Settings keys per kind:
 * - marzban: `subscriptionBaseUrl?`, `inbounds?` ({vless: [tags]}), `flow?`; credentials `username`, `password`
 * - 3x-ui: `inboundId`, `subscriptionBaseUrl`, `publicHost?`, `flow?`; credentials `username`+`password` or `apiToken`
 * - remnawave: `squads?` (uuids or names); credentials `apiToken`
 * - wg-easy: `publicUrl?`; credentials `username`, `password`
 * - pasarguard: `groupIds` (numbers), `subscriptionBaseUrl?`; credentials `apiKey`, or `username`+`password`
 */
export const ADAPTER_FACTORIES: Record<PanelKind, AdapterFactory> = {
  marzban: (s, d) =>
    createMarzbanAdapter({
      ...d,
      baseUrl: s.baseUrl,
      username: need(s, 'credentials', 'username'),
      password: need(s, 'credentials', 'password'),
      subscriptionBaseUrl: opt(s, 'subscriptionBaseUrl'),
      inbounds: s.settings.inbounds as Record<string, string[]> | undefined,
      flow: s.settings.flow === '' ? '' : 'xtls-rprx-vision',
    }),
  '3x-ui': (s, d) =>
    createXuiAdapter({
      ...d,
      ...(s.credentials.apiToken
        ? { apiToken: s.credentials.apiToken }
        : { username: need(s, 'credentials', 'username'), password: need(s, 'credentials', 'password') }),
      baseUrl: s.baseUrl,
      inboundId: Number(need(s, 'settings', 'inboundId')),
      subscriptionBaseUrl: need(s, 'settings', 'subscriptionBaseUrl'),
      publicHost: opt(s, 'publicHost'),
      flow: s.settings.flow === '' ? '' : 'xtls-rprx-vision',
    }),
  remnawave: (s, d) =>
    createRemnawaveAdapter({
      ...d,
      baseUrl: s.baseUrl,
      apiToken: need(s, 'credentials', 'apiToken'),
      squads: s.settings.squads as string[] | undefined,
    }),
  pasarguard: (s, d) =>
    createPasarGuardAdapter({
      ...d,
      ...(s.credentials.apiKey
        ? { apiKey: s.credentials.apiKey }
        : { username: need(s, 'credentials', 'username'), password: need(s, 'credentials', 'password') }),
      baseUrl: s.baseUrl,
      groupIds: Array.isArray(s.settings.groupIds) ? s.settings.groupIds.map(Number) : [],
      subscriptionBaseUrl: opt(s, 'subscriptionBaseUrl'),
    }),
  'wg-easy': (s, d) =>
    createWgEasyAdapter({
      ...d,
      baseUrl: s.baseUrl,
      username: need(s, 'credentials', 'username'),
      password: need(s, 'credentials', 'password'),
      publicUrl: opt(s, 'publicUrl'),
    }),
};

/** Builds the adapter for a server row by its `panel_kind`. Nothing connects until the first call. */
export function createPanelAdapter(server: PanelServerConfig, deps: AdapterDeps = {}): PanelAdapter {
  const factory = (ADAPTER_FACTORIES as Partial<Record<string, AdapterFactory>>)[server.panelKind];
  if (!factory) throw new PanelError('rejected', `server "${server.name}": no adapter for panel kind "${server.panelKind}"`);
  return factory(server, deps);
}
