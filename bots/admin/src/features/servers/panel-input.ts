import type { PanelKind } from '@vpn/db';
import { fail, NONE, ok, type InputError, type Parsed } from '../../ui/input.js';

export type { InputError, Parsed };

const SKIP = NONE;
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The panel-specific settings an operator types in one line, per kind (the keys `ADAPTER_FACTORIES`
 * of @vpn/vpn reads): Marzban inbound tags (`-` for the panel's own), 3x-ui `<inbound id>
 * <subscription base URL>`, Remnawave squads (`-` for all), PasarGuard group ids; wg-easy none.
 */
export function parseSettings(kind: PanelKind, text: string, baseUrl: string): Parsed<Record<string, unknown>> {
  const line = text.trim();
  if (line.length > 500) return fail('settings', { min: 1, max: 500 });
  switch (kind) {
    case 'marzban':
      return ok({ subscriptionBaseUrl: baseUrl, ...(line === SKIP ? {} : { inbounds: { vless: list(line) } }) });
    case '3x-ui': {
      const [id = '', subscriptionBaseUrl = ''] = line.split(/\s+/);
      const inboundId = Number(id);
      if (!/^\d{1,9}$/.test(id) || inboundId < 1) return fail('inboundId', { min: 1, max: 999_999_999 });
      if (!/^https?:\/\/\S+$/.test(subscriptionBaseUrl)) return fail('subscriptionBaseUrl');
      return ok({ inboundId, subscriptionBaseUrl });
    }
    case 'remnawave':
      return ok(line === SKIP ? {} : { squads: list(line) });
    case 'pasarguard': {
      const ids = list(line);
      if (ids.length === 0 || ids.some((g) => !/^\d{1,9}$/.test(g))) return fail('groupIds', { min: 1, max: 999_999_999 });
      return ok({ groupIds: ids.map(Number), subscriptionBaseUrl: baseUrl });
    }
    case 'wg-easy':
      return ok({});
  }
}

/** Whether a kind asks for settings at all. */
export const needsSettings = (kind: PanelKind): boolean => kind !== 'wg-easy';

/**
 * Credentials in one line: `<username> <password>`, or one API token for the panels that take it
 * (Remnawave always; 3x-ui and PasarGuard either).
 */
export function parseCredentials(kind: PanelKind, text: string): Parsed<Record<string, string>> {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.some((p) => p.length > 500)) return fail('credentials', { min: 1, max: 500 });
  const token = kind === 'remnawave' ? 'apiToken' : kind === '3x-ui' ? 'apiToken' : kind === 'pasarguard' ? 'apiKey' : null;
  if (parts.length === 1 && token) return ok({ [token]: parts[0]! });
  if (kind !== 'remnawave' && parts.length === 2) return ok({ username: parts[0]!, password: parts[1]! });
  return fail('credentials', {
    allowed: kind === 'remnawave' ? ['<api token>'] : token ? ['<username> <password>', '<api token>'] : ['<username> <password>'],
  });
}

/** `NL` → 🇳🇱 (regional indicator letters); anything else → 🌐. */
export function flag(countryCode: string | null): string {
  if (!countryCode || !/^[A-Z]{2}$/.test(countryCode)) return '🌐';
  return String.fromCodePoint(...[...countryCode].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
