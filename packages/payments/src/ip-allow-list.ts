import { isIP } from 'node:net';

/**
 * CIDR allow-lists for IPv4 and IPv6, for providers whose notifications are authenticated only by
 * the sender's address (YooKassa). Addresses are compared as big integers, so `/27` and `/64`
 * masks are exact; IPv4-mapped IPv6 senders (`::ffff:185.71.76.1`, what a dual-stack socket
 * reports) are matched as the IPv4 address they carry.
 */

interface Range {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

/** Matches addresses against a fixed list of ranges. */
export interface IpAllowList {
  /** The ranges as configured, for logs and error messages. */
  readonly entries: readonly string[];
  has(ip: string): boolean;
}

function parseIpv4(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(ip: string): bigint {
  let text = ip;
  // A trailing dotted quad ("::ffff:1.2.3.4") is two 16-bit groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad?.[1]) {
    const v4 = parseIpv4(quad[1]);
    text = `${text.slice(0, -quad[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const MAPPED_V4_PREFIX = 0xffffn << 32n;

/** Parses an address into family and value, unwrapping IPv4-mapped IPv6; undefined if not an IP. */
function parseAddress(raw: string): { family: 4 | 6; value: bigint } | undefined {
  const ip = raw
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return { family: 4, value: parseIpv4(ip) };
  if (family !== 6) return undefined;
  const value = parseIpv6(ip);
  if (value >> 32n === MAPPED_V4_PREFIX >> 32n) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function mask(family: 4 | 6, prefix: number): bigint {
  const width = BigInt(bits(family));
  return prefix === 0 ? 0n : ((1n << width) - 1n) ^ ((1n << (width - BigInt(prefix))) - 1n);
}

function parseRange(entry: string): Range {
  const [addr = '', prefixText] = entry.trim().split('/');
  const parsed = parseAddress(addr);
  if (!parsed) throw new RangeError(`not an IP address or CIDR range: ${entry}`);
  if (prefixText !== undefined && !/^\d+$/.test(prefixText)) throw new RangeError(`bad prefix length in ${entry}`);
  const prefix = prefixText === undefined ? bits(parsed.family) : Number(prefixText);
  if (prefix > bits(parsed.family)) {
    throw new RangeError(`bad prefix length in ${entry}`);
  }
  return { family: parsed.family, prefix, network: parsed.value & mask(parsed.family, prefix) };
}

/** Builds an allow-list from entries like `185.71.76.0/27`, `77.75.156.11`, `2a02:5180::/32`; throws a RangeError on a bad entry. */
export function createIpAllowList(entries: readonly string[]): IpAllowList {
  const ranges = entries.map(parseRange);
  return {
    entries: [...entries],
    has(ip: string): boolean {
      const address = parseAddress(ip);
      if (!address) return false;
      return ranges.some((r) => r.family === address.family && (address.value & mask(r.family, r.prefix)) === r.network);
    },
  };
}
