import type { WgClient } from './wg-easy.store.js';

/** Which optional field groups a v15 minor has (specs/wireguard-wg-easy.md §4, §5.1). */
export interface V15Features {
  /** v15.2+: AmneziaWG `jC jMin jMax i1…i5`, and create answers `clientId`. */
  awg: boolean;
  /** v15.3+: `firewallIps`. */
  firewall: boolean;
}

export function v15Features(version: string): V15Features {
  const minor = Number(version.replace(/^v/, '').split('.')[1] ?? 0);
  return { awg: minor >= 2, firewall: minor >= 3 };
}

export type V15Update = Pick<
  WgClient,
  | 'name'
  | 'enabled'
  | 'ipv4Address'
  | 'ipv6Address'
  | 'preUp'
  | 'postUp'
  | 'preDown'
  | 'postDown'
  | 'allowedIps'
  | 'serverAllowedIps'
  | 'mtu'
  | 'persistentKeepalive'
  | 'serverEndpoint'
  | 'dns'
> &
  Partial<Pick<WgClient, 'firewallIps' | 'jC' | 'jMin' | 'jMax' | 'i1' | 'i2' | 'i3' | 'i4' | 'i5'>> & { expiresAt: Date | null };

type Check = (value: unknown) => string | null;

const str: Check = (v) => (typeof v === 'string' ? null : 'Expected string');
const nullable =
  (inner: Check): Check =>
  (v) =>
    v === null ? null : inner(v);
const strList =
  (min: number): Check =>
  (v) =>
    Array.isArray(v) && v.length >= min && v.every((x) => typeof x === 'string') ? null : `Expected an array of at least ${min} string(s)`;
const intIn =
  (lo: number, hi: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? null : `Expected an integer between ${lo} and ${hi}`;
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'Expected boolean');
const date: Check = (v) => (typeof v === 'string' && !Number.isNaN(new Date(v).getTime()) ? null : 'Invalid date');
const name: Check = (v) =>
  // eslint-disable-next-line no-control-regex -- control characters are what the panel refuses
  typeof v === 'string' && v.length >= 1 && !/[\x00-\x1f\x7f]/.test(v) ? null : 'Name must be at least 1 character';

/**
 * The update schema: a zod object in which every key is required (nullable where noted). Keys
 * the version does not know are stripped, keys it needs and misses fail the whole request.
 */
export function validateV15Update(
  body: Record<string, unknown> | undefined,
  features: V15Features,
  prefixes: { v4: string; v6: string },
): V15Update | string {
  const schema: Record<string, Check> = {
    name,
    enabled: bool,
    expiresAt: nullable(date),
    ipv4Address: (v) => (typeof v === 'string' && v.startsWith(prefixes.v4) ? null : 'IPv4 address is not in the interface CIDR'),
    ipv6Address: (v) => (typeof v === 'string' && v.startsWith(prefixes.v6) ? null : 'IPv6 address is not in the interface CIDR'),
    preUp: str,
    postUp: str,
    preDown: str,
    postDown: str,
    allowedIps: nullable(strList(1)),
    serverAllowedIps: strList(0),
    mtu: intIn(1024, 9000),
    persistentKeepalive: intIn(0, 65535),
    serverEndpoint: nullable(str),
    dns: nullable(strList(0)),
  };
  if (features.firewall) schema.firewallIps = nullable(strList(0));
  if (features.awg) {
    for (const k of ['jC', 'jMin', 'jMax']) schema[k] = nullable(intIn(0, 65535));
    for (const k of ['i1', 'i2', 'i3', 'i4', 'i5']) schema[k] = nullable(str);
  }
  const input = body ?? {};
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(schema)) {
    if (!(key in input)) {
      problems.push(`${key}: Required`);
      continue;
    }
    const problem = check(input[key]);
    if (problem) problems.push(`${key}: ${problem}`);
    else out[key] = input[key];
  }
  if (problems.length > 0) return problems.join('; ');
  return { ...(out as Omit<V15Update, 'expiresAt'>), expiresAt: out.expiresAt === null ? null : new Date(out.expiresAt as string) };
}
