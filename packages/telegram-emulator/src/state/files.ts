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
  /**
   * The bots that may use this file id: Telegram's file ids are per bot ("can't be transferred
   * from one bot to another"), so a bot may send or download only a file it uploaded or was shown.
   */
  owners: Set<number>;
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
      owners: new Set(),
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

  /** The file, if `botId` may use its id (it uploaded it or received it); otherwise undefined. */
  usableBy(fileId: string, botId: number): StoredFile | undefined {
    const file = this.byId.get(fileId);
    return file?.owners.has(botId) ? file : undefined;
  }

  /**
   * Marks every file id in what a bot is shown (a method's result, an update) as that bot's:
   * Telegram gives each bot its own id for a file, the emulator one id usable by every bot that saw it.
   */
  grantSeen(botId: number, value: unknown): void {
    if (Array.isArray(value)) {
      for (const item of value) this.grantSeen(botId, item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (key === 'file_id' && typeof item === 'string') this.byId.get(item)?.owners.add(botId);
      else if (typeof item === 'object') this.grantSeen(botId, item);
    }
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
