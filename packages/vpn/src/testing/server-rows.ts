import type { PanelKind } from '../adapter.js';
import type { MarzbanEmulator } from './marzban/marzban.emulator.js';
import type { XuiEmulator } from './3x-ui/xui.emulator.js';
import type { RemnawaveEmulator } from './remnawave/remnawave.emulator.js';
import type { WgEasyEmulator } from './wg-easy/wg-easy.emulator.js';
import type { PasarGuardEmulator } from './pasarguard/pasarguard.emulator.js';

/** The `servers` row fields (ServerInput of @vpn/db) that point the adapter registry at an emulator. */
export interface EmulatorServerRow {
  panelKind: PanelKind;
  baseUrl: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
}

/** A Marzban server row for {@link MarzbanEmulator} (relative subscription URLs resolve against it). */
export function marzbanServerRow(emulator: MarzbanEmulator): EmulatorServerRow {
  return {
    panelKind: 'marzban',
    baseUrl: emulator.url,
    credentials: { ...emulator.credentials },
    settings: { inbounds: { vless: ['VLESS TCP REALITY'] }, subscriptionBaseUrl: emulator.url },
  };
}

/** A 3x-ui server row for {@link XuiEmulator}: cookie login, the seeded inbound, its sub server. */
export function xuiServerRow(emulator: XuiEmulator): EmulatorServerRow {
  return {
    panelKind: '3x-ui',
    baseUrl: emulator.url,
    credentials: { ...emulator.credentials },
    settings: { inboundId: emulator.inboundId, subscriptionBaseUrl: emulator.subscriptionBaseUrl },
  };
}

/** A Remnawave server row for {@link RemnawaveEmulator}: its API token, every squad. */
export function remnawaveServerRow(emulator: RemnawaveEmulator): EmulatorServerRow {
  return { panelKind: 'remnawave', baseUrl: emulator.url, credentials: { apiToken: emulator.apiToken }, settings: {} };
}

/** A wg-easy server row for {@link WgEasyEmulator} (v15 Basic auth, or v14's password). */
export function wgEasyServerRow(emulator: WgEasyEmulator): EmulatorServerRow {
  return { panelKind: 'wg-easy', baseUrl: emulator.url, credentials: { ...emulator.credentials }, settings: {} };
}

/** A PasarGuard server row for {@link PasarGuardEmulator}: its API key and every group. */
export function pasarguardServerRow(emulator: PasarGuardEmulator): EmulatorServerRow {
  return {
    panelKind: 'pasarguard',
    baseUrl: emulator.url,
    credentials: { apiKey: emulator.apiKey },
    settings: { groupIds: emulator.groupIds, subscriptionBaseUrl: emulator.url },
  };
}
