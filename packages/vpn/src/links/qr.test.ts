import jsqr from 'jsqr';
import { PNG as PngImage } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { QrError, renderQrPng, subscriptionQrPng, wireguardConfigFile, wireguardConfigQrPng } from './qr.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

// jsqr is CommonJS with a default export: Node's interop hands over the module, vite the function.
type Decode = typeof jsqr.default;
const jsQR: Decode = (jsqr as { default?: Decode }).default ?? (jsqr as unknown as Decode);

/** Reads our PNG back the way a phone camera would: decode the pixels, then find and read the code. */
function scan(png: Buffer): string | null {
  const image = PngImage.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
}
const conf = `[Interface]
PrivateKey = ${'a'.repeat(43)}=
Address = 10.8.0.2/24, fd42:42:42::2/64
DNS = 1.1.1.1

[Peer]
PublicKey = ${'b'.repeat(43)}=
PresharedKey = ${'c'.repeat(43)}=
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 25
Endpoint = vpn.example.com:51820
`;

describe('QR codes', () => {
  it('renders a PNG of the requested width whose modules encode the text', async () => {
    const url = 'https://sub.example.com/sub/abc123';
    const png = await subscriptionQrPng(url, { width: 300 });
    expect(png.subarray(0, 8)).toEqual(PNG);
    expect(size(png)).toEqual({ width: 300, height: 300 });
    // Same text and options → same image; another text → another image.
    expect(await renderQrPng(url, { width: 300 })).toEqual(png);
    expect(await renderQrPng(`${url}x`, { width: 300 })).not.toEqual(png);
    expect(scan(png)).toBe(url);
    expect(scan(await renderQrPng(`${url}x`, { width: 300 }))).toBe(`${url}x`);
  });

  it('renders a whole WireGuard config at level L and refuses what is not one', async () => {
    const png = await wireguardConfigQrPng(conf);
    expect(png.subarray(0, 8)).toEqual(PNG);
    // The WireGuard app imports exactly the text it scans.
    expect(scan(png)).toBe(conf.trim());
    expect(() => wireguardConfigQrPng('vless://x@y:1')).toThrow(QrError);
  });

  it('gives a clear error for an empty or oversized payload', async () => {
    await expect(renderQrPng('  ')).rejects.toThrow(/empty/);
    await expect(renderQrPng('x'.repeat(5_000))).rejects.toThrow(/cannot render a QR code for 5000 characters/);
  });

  it('names the .conf file within WireGuard tunnel-name rules', () => {
    const file = wireguardConfigFile('VPN Germany #1 (tg)', conf.trim());
    expect(file.filename).toBe('VPN_Germany__1_.conf');
    expect(file.content.toString()).toBe(`${conf.trim()}\n`);
  });
});
