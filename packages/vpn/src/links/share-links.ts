/** REALITY parameters of an inbound, as an operator copies them from the panel. */
export interface RealityParams {
  publicKey: string;
  serverName: string;
  shortId: string;
  fingerprint?: string;
  spiderX?: string;
}

export interface VlessLinkParams {
  uuid: string;
  host: string;
  port: number;
  /** Shown as the profile name in client apps (the URI fragment). */
  remark: string;
  network?: 'tcp' | 'ws' | 'grpc' | 'xhttp';
  flow?: '' | 'xtls-rprx-vision';
  reality?: RealityParams;
  /** Plain TLS instead of REALITY. */
  tlsServerName?: string;
}

/**
 * A `vless://` share URI in the form v2rayN/v2rayNG/Happ/Hiddify import
 * (`vless://<uuid>@<host>:<port>?type=tcp&security=reality&pbk=…&fp=…&sni=…&sid=…&spx=…&flow=…#<remark>`).
 */
export function buildVlessLink(params: VlessLinkParams): string {
  const query = new URLSearchParams({ type: params.network ?? 'tcp', encryption: 'none' });
  if (params.reality) {
    query.set('security', 'reality');
    query.set('pbk', params.reality.publicKey);
    query.set('fp', params.reality.fingerprint ?? 'chrome');
    query.set('sni', params.reality.serverName);
    query.set('sid', params.reality.shortId);
    if (params.reality.spiderX) query.set('spx', params.reality.spiderX);
  } else if (params.tlsServerName) {
    query.set('security', 'tls');
    query.set('sni', params.tlsServerName);
  } else {
    query.set('security', 'none');
  }
  if (params.flow) query.set('flow', params.flow);
  const host = params.host.includes(':') ? `[${params.host}]` : params.host;
  return `vless://${params.uuid}@${host}:${params.port}?${query.toString()}#${encodeURIComponent(params.remark)}`;
}

/** Reads the credential, host and remark back out of a share URI (vless/vmess-less schemes). */
export function parseShareLink(link: string): { scheme: string; user: string; host: string; port: number; remark: string } | null {
  try {
    const url = new URL(link);
    return {
      scheme: url.protocol.replace(/:$/, ''),
      user: decodeURIComponent(url.username),
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port),
      remark: decodeURIComponent(url.hash.replace(/^#/, '')),
    };
  } catch {
    return null;
  }
}
