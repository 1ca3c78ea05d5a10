/**
 * A WireGuard `.conf` read into its sections and checked for what a client app needs
 * (specs/wireguard-wg-easy.md §6): [Interface] PrivateKey and Address, [Peer] PublicKey,
 * AllowedIPs and Endpoint. Used to refuse a broken config before it reaches a customer.
 */
export interface WireGuardConfig {
  interface: Record<string, string>;
  peers: Array<Record<string, string>>;
}

/** Base64 of a 32-byte Curve25519 key: 43 characters and one `=`. */
export const WIREGUARD_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** Parses INI-style `Key = Value` lines under `[Interface]` / `[Peer]`; `#` comments are skipped. */
export function parseWireGuardConfig(text: string): WireGuardConfig {
  const config: WireGuardConfig = { interface: {}, peers: [] };
  let section: Record<string, string> | null = null;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line === '[Interface]') section = config.interface;
    else if (line === '[Peer]') config.peers.push((section = {}));
    else {
      const eq = line.indexOf('=');
      if (eq < 1 || section === null) throw new Error(`line ${index + 1}: expected "Key = Value" inside a section, got "${line}"`);
      section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  return config;
}

/** The problems that would stop a WireGuard client from importing or connecting; [] when fine. */
export function wireGuardConfigProblems(text: string): string[] {
  let config: WireGuardConfig;
  try {
    config = parseWireGuardConfig(text);
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  const problems: string[] = [];
  const { interface: iface, peers } = config;
  if (!WIREGUARD_KEY.test(iface.PrivateKey ?? '')) problems.push('[Interface] PrivateKey is missing or not a WireGuard key');
  const addresses = (iface.Address ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (addresses.length === 0 || !addresses.every((a) => /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(a)))
    problems.push('[Interface] Address must be CIDR addresses');
  if (iface.DNS !== undefined && iface.DNS.split(',').some((d) => d.trim() === '')) problems.push('[Interface] DNS has an empty entry');
  if (peers.length !== 1) problems.push(`expected exactly one [Peer], found ${peers.length}`);
  const peer = peers[0] ?? {};
  if (!WIREGUARD_KEY.test(peer.PublicKey ?? '')) problems.push('[Peer] PublicKey is missing or not a WireGuard key');
  if (peer.PresharedKey !== undefined && !WIREGUARD_KEY.test(peer.PresharedKey))
    problems.push('[Peer] PresharedKey is not a WireGuard key');
  if (!(peer.AllowedIPs ?? '').split(',').every((a) => /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(a.trim())))
    problems.push('[Peer] AllowedIPs must be CIDR ranges');
  if (!/^(\[[0-9a-fA-F:]+\]|[^\s:[\]]+):\d{1,5}$/.test(peer.Endpoint ?? '')) problems.push('[Peer] Endpoint must be host:port');
  return problems;
}
