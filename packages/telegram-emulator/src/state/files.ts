import { randomBytes } from 'node:crypto';

/** Every kind of file a message can carry; each has its own id prefix and download folder. */
export type FileKind = 'photo' | 'document' | 'voice' | 'video' | 'video_note' | 'sticker' | 'audio' | 'animation';

/** An uploaded file; `fileId` is what bots reuse, `path` is what `getFile` hands out for download. */
export interface StoredFile {
  fileId: string;
  uniqueId: string;
  kind: FileKind;
  data: Buffer;
  path: string;
  fileName?: string;
  mimeType?: string;
  width?: number;
  height?: number;
  /** For photos: every size of the photo this file belongs to (resending any of them sends all). */
  photoSizes?: {
    file_id: string;
    file_unique_id: string;
    width: number;
    height: number;
    file_size?: number;
  }[];
}

/** Telegram's file ids start with a per-type prefix (photos "AgAC", documents "BQAC"); ours do too. */
const PREFIX: Record<FileKind, string> = {
  photo: 'AgAC',
  document: 'BQAC',
  voice: 'AwAC',
  video: 'BAAC',
  video_note: 'DQAC',
  sticker: 'CAAC',
  audio: 'CQAC',
  animation: 'CgAC',
};
const FOLDER: Record<FileKind, string> = {
  photo: 'photos',
  document: 'documents',
  voice: 'voice',
  video: 'videos',
  video_note: 'video_notes',
  sticker: 'stickers',
  audio: 'music',
  animation: 'animations',
};

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private counter = 0;

  add(kind: FileKind, data: Buffer, meta: { fileName?: string; mimeType?: string; width?: number; height?: number } = {}): StoredFile {
    const n = ++this.counter;
    const ext = extension(meta.fileName, meta.mimeType, kind);
    const file: StoredFile = {
      fileId: `${PREFIX[kind]}${randomBytes(24).toString('base64url')}`,
      uniqueId: `AQAD${randomBytes(8).toString('base64url')}`,
      kind,
      data,
      path: `${FOLDER[kind]}/file_${n}${ext}`,
      ...meta,
    };
    this.byId.set(file.fileId, file);
    this.byPath.set(file.path, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  atPath(path: string): StoredFile | undefined {
    return this.byPath.get(path);
  }

  clear(): void {
    this.byId.clear();
    this.byPath.clear();
  }
}

function extension(fileName: string | undefined, mimeType: string | undefined, kind: FileKind): string {
  const fromName = /\.[A-Za-z0-9]{1,8}$/.exec(fileName ?? '')?.[0];
  if (fromName) return fromName.toLowerCase();
  if (mimeType === 'image/png') return '.png';
  if (mimeType === 'application/pdf') return '.pdf';
  return kind === 'photo' ? '.jpg' : '';
}
