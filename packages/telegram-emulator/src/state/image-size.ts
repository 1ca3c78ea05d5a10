/** Width, height and MIME type of a PNG, JPEG, GIF or WebP image, read from its header. */
export interface ImageInfo {
  width: number;
  height: number;
  mimeType: string;
}

function png(b: Buffer): ImageInfo | undefined {
  if (b.length < 24 || b.readUInt32BE(0) !== 0x89504e47 || b.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), mimeType: 'image/png' };
}

function gif(b: Buffer): ImageInfo | undefined {
  if (b.length < 10 || !b.toString('ascii', 0, 6).startsWith('GIF8')) return undefined;
  return { width: b.readUInt16LE(6), height: b.readUInt16LE(8), mimeType: 'image/gif' };
}

/** JPEG: walk the segments to the first start-of-frame marker, which carries the dimensions. */
function jpeg(b: Buffer): ImageInfo | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    const length = b.readUInt16BE(i + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame)
      return {
        height: b.readUInt16BE(i + 5),
        width: b.readUInt16BE(i + 7),
        mimeType: 'image/jpeg',
      };
    i += 2 + length;
  }
  return undefined;
}

function webp(b: Buffer): ImageInfo | undefined {
  if (b.length < 30 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WEBP') return undefined;
  const chunk = b.toString('ascii', 12, 16);
  if (chunk === 'VP8 ')
    return {
      width: b.readUInt16LE(26) & 0x3fff,
      height: b.readUInt16LE(28) & 0x3fff,
      mimeType: 'image/webp',
    };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return {
      width: (bits & 0x3fff) + 1,
      height: ((bits >> 14) & 0x3fff) + 1,
      mimeType: 'image/webp',
    };
  }
  if (chunk === 'VP8X')
    return {
      width: b.readUIntLE(24, 3) + 1,
      height: b.readUIntLE(27, 3) + 1,
      mimeType: 'image/webp',
    };
  return undefined;
}

/** `undefined` when the bytes are not an image Telegram could process. */
export function imageSize(data: Buffer): ImageInfo | undefined {
  return png(data) ?? jpeg(data) ?? gif(data) ?? webp(data);
}
