import QRCode from 'qrcode';

/** Telegram shows photos up to ~1280 px; 512 px scans well from another screen. */
export const DEFAULT_QR_WIDTH = 512;

export interface QrOptions {
  /** Image width in pixels. */
  width?: number;
  /** Error correction; `M` by default, `L` for long payloads such as a WireGuard config. */
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
}

/** Thrown when a payload is empty or does not fit a QR code (max ≈2.9 KB at level L). */
export class QrError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'QrError';
  }
}

/** Renders `text` as a PNG QR code. */
export async function renderQrPng(text: string, options: QrOptions = {}): Promise<Buffer> {
  if (text.trim() === '') throw new QrError('nothing to encode: the QR payload is empty');
  try {
    return await QRCode.toBuffer(text, {
      type: 'png',
      width: options.width ?? DEFAULT_QR_WIDTH,
      margin: 2,
      errorCorrectionLevel: options.errorCorrectionLevel ?? 'M',
    });
  } catch (cause) {
    throw new QrError(
      `cannot render a QR code for ${text.length} characters: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    );
  }
}

/** QR of a subscription URL (or a single share link) for scanning with a second device. */
export function subscriptionQrPng(url: string, options?: QrOptions): Promise<Buffer> {
  return renderQrPng(url, options);
}

/**
 * QR of a WireGuard `.conf`: the official apps' "Scan from QR code" reads the whole config text
 * (client-apps.md §6). Level L keeps a config with a preshared key comfortably inside the limit.
 */
export function wireguardConfigQrPng(conf: string, options: QrOptions = {}): Promise<Buffer> {
  if (!/^\s*\[Interface\]/m.test(conf) || !/^\s*\[Peer\]/m.test(conf) || !/^\s*PrivateKey\s*=/m.test(conf)) {
    throw new QrError('not a WireGuard client config: [Interface] with PrivateKey and a [Peer] section are required');
  }
  return renderQrPng(conf.trim(), { errorCorrectionLevel: 'L', ...options });
}

/**
 * A `.conf` as a file to send as a document. WireGuard names the tunnel after the file, and
 * tunnel names are at most 15 characters of `[a-zA-Z0-9_=+.-]` (wg-quick rejects others).
 */
export function wireguardConfigFile(name: string, conf: string): { filename: string; content: Buffer } {
  const safe = name.replace(/[^a-zA-Z0-9_=+.-]/g, '_').slice(0, 15) || 'wg0';
  return { filename: `${safe}.conf`, content: Buffer.from(conf.endsWith('\n') ? conf : `${conf}\n`, 'utf8') };
}
