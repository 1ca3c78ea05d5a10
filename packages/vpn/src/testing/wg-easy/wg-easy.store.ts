import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

/**
 * The wg-easy emulator's in-memory "SQLite" (specs/wireguard-wg-easy.md §4, §8): auto-increment
 * ids, sequential IP allocation in the interface CIDRs, real X25519 keys, an expiry cron.
 */

/** A WireGuard key pair as wg(8) prints them: base64 of 32 bytes (44 chars). */
export function wireguardKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const b64 = (jwkPart: string | undefined): string => Buffer.from(jwkPart ?? '', 'base64url').toString('base64');
  return { privateKey: b64(privateKey.export({ format: 'jwk' }).d), publicKey: b64(publicKey.export({ format: 'jwk' }).x) };
}

export interface WgInterface {
  privateKey: string;
  publicKey: string;
  /** `10.8.0.0/24`: clients get .2, .3, … */
  ipv4Prefix: string;
  ipv6Prefix: string;
  host: string;
  port: number;
  mtu: number;
  dns: string[];
  allowedIps: string[];
  persistentKeepalive: number;
}

export interface WgClient {
  id: number;
  /** v14 addresses clients by a uuid. */
  uuid: string;
  name: string;
  ipv4Address: string;
  ipv6Address: string;
  privateKey: string;
  publicKey: string;
  preSharedKey: string;
  expiresAt: Date | null;
  allowedIps: string[] | null;
  serverAllowedIps: string[];
  firewallIps: string[] | null;
  persistentKeepalive: number;
  mtu: number;
  jC: number | null;
  jMin: number | null;
  jMax: number | null;
  i1: string | null;
  i2: string | null;
  i3: string | null;
  i4: string | null;
  i5: string | null;
  dns: string[] | null;
  serverEndpoint: string | null;
  preUp: string;
  postUp: string;
  preDown: string;
  postDown: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  oneTimeLink: { token: string; expiresAt: Date; createdAt: Date } | null;
  latestHandshakeAt: Date | null;
  endpoint: string | null;
  transferRx: number;
  transferTx: number;
}

export function createWgEasyStore(now: () => Date) {
  const iface: WgInterface = {
    ...wireguardKeyPair(),
    ipv4Prefix: '10.8.0.',
    ipv6Prefix: 'fdcc:ad94:bacf:61a4::cafe:',
    host: 'vpn.example.com',
    port: 51820,
    mtu: 1420,
    dns: ['1.1.1.1'],
    allowedIps: ['0.0.0.0/0', '::/0'],
    persistentKeepalive: 0,
  };
  const clients = new Map<number, WgClient>();
  let nextId = 1;
  let lastCron = now().getTime();

  /** The lowest free host number (2…254), as wg-easy picks the next free IP. */
  function freeHost(): number {
    const used = new Set([...clients.values()].map((c) => Number(c.ipv4Address.split('.').pop())));
    for (let host = 2; host < 255; host++) if (!used.has(host)) return host;
    throw new Error('Maximum number of clients reached.');
  }

  return {
    iface,
    clients,
    all: (): WgClient[] => [...clients.values()].sort((a, b) => a.id - b.id),
    byUuid: (uuid: string): WgClient | undefined => [...clients.values()].find((c) => c.uuid === uuid),
    byName: (name: string): WgClient | undefined => [...clients.values()].find((c) => c.name === name),
    create(name: string, expiresAt: Date | null): WgClient {
      const host = freeHost();
      const at = now();
      const client: WgClient = {
        id: nextId++,
        uuid: randomUUID(),
        name,
        ipv4Address: `${iface.ipv4Prefix}${host}`,
        ipv6Address: `${iface.ipv6Prefix}${host.toString(16)}`,
        ...wireguardKeyPair(),
        preSharedKey: randomBytes(32).toString('base64'),
        expiresAt,
        allowedIps: null,
        serverAllowedIps: [],
        firewallIps: null,
        persistentKeepalive: iface.persistentKeepalive,
        mtu: iface.mtu,
        jC: null,
        jMin: null,
        jMax: null,
        i1: null,
        i2: null,
        i3: null,
        i4: null,
        i5: null,
        dns: null,
        serverEndpoint: null,
        preUp: '',
        postUp: '',
        preDown: '',
        postDown: '',
        enabled: true,
        createdAt: at,
        updatedAt: at,
        oneTimeLink: null,
        latestHandshakeAt: null,
        endpoint: null,
        transferRx: 0,
        transferTx: 0,
      };
      clients.set(client.id, client);
      return client;
    },
    /**
     * The cron (§5.2), due every 60 s of panel time: expired enabled clients are disabled and
     * expired one-time links deleted. Between runs an expired link still exists (→ 410).
     */
    cron(): void {
      const t = now().getTime();
      // A clock moved back by a test counts as due.
      if (t >= lastCron && t - lastCron < 60_000) return;
      lastCron = t;
      for (const c of clients.values()) {
        if (c.enabled && c.expiresAt && c.expiresAt.getTime() < t) c.enabled = false;
        if (c.oneTimeLink && c.oneTimeLink.expiresAt.getTime() < t) c.oneTimeLink = null;
      }
    },
    /** The interface restarts: live kernel counters start from zero again. */
    restartInterface(): void {
      for (const c of clients.values()) Object.assign(c, { transferRx: 0, transferTx: 0, latestHandshakeAt: null, endpoint: null });
    },
  };
}

export type WgEasyStore = ReturnType<typeof createWgEasyStore>;

/**
 * The client's `.conf` in wg-easy's format (§6). v14 writes `Address = <ipv4>/24`; v15 writes
 * `<ipv4>/32, <ipv6>/128` and MTU.
 */
export function clientConfiguration(store: WgEasyStore, client: WgClient, flavour: 14 | 15): string {
  const { iface } = store;
  const dns = client.dns ?? iface.dns;
  const address = flavour === 14 ? `${client.ipv4Address}/24` : `${client.ipv4Address}/32, ${client.ipv6Address}/128`;
  const hooks = (['preUp', 'postUp', 'preDown', 'postDown'] as const)
    .filter((k) => client[k] !== '')
    .map((k) => `${k[0]!.toUpperCase()}${k.slice(1)} = ${client[k]}`);
  return [
    '[Interface]',
    `PrivateKey = ${client.privateKey}`,
    `Address = ${address}`,
    ...(flavour === 15 ? [`MTU = ${client.mtu}`] : []),
    ...(dns.length > 0 ? [`DNS = ${dns.join(', ')}`] : []),
    ...hooks,
    '',
    '[Peer]',
    `PublicKey = ${iface.publicKey}`,
    `PresharedKey = ${client.preSharedKey}`,
    `AllowedIPs = ${(client.allowedIps ?? iface.allowedIps).join(', ')}`,
    `PersistentKeepalive = ${client.persistentKeepalive}`,
    `Endpoint = ${client.serverEndpoint ?? iface.host}:${iface.port}`,
    '',
  ].join('\n');
}
