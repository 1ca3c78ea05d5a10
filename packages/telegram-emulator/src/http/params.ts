import { badRequest } from '../api/errors.js';

/** A file part of a multipart request, referenced from a parameter as `attach://<name>`. */
export interface UploadedFile {
  data: Buffer;
  fileName?: string;
  mimeType?: string;
}

/** Where a file parameter points: a fresh upload, an existing file id, or an HTTP URL. */
export type FileRef = { kind: 'upload'; file: UploadedFile } | { kind: 'id'; fileId: string } | { kind: 'url'; url: string };

/**
 * Typed access to method parameters. The Bot API accepts JSON, form fields and multipart parts,
 * so a number may arrive as `5` or `"5"` and an object as an object or a JSON string; each
 * accessor normalises that and fails with Telegram's "<name> is empty"/"can't parse" wording.
 */
export class Params {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly uploads: ReadonlyMap<string, UploadedFile> = new Map(),
  ) {}

  has(name: string): boolean {
    const v = this.raw[name];
    return v !== undefined && v !== null && v !== '';
  }

  str(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return JSON.stringify(v);
  }

  reqStr(name: string, emptyDescription = `${name} is empty`): string {
    const v = this.str(name);
    if (v === undefined || v === '') throw badRequest(emptyDescription);
    return v;
  }

  int(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n)) throw badRequest(`invalid ${name} specified`);
    return n;
  }

  reqInt(name: string, emptyDescription = `${name} is empty`): number {
    const n = this.int(name);
    if (n === undefined) throw badRequest(emptyDescription);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    return v === true || v === 'true' || v === 1 || v === '1';
  }

  /** An object or array parameter, given directly (JSON body) or as a JSON string (form fields). */
  json<T>(name: string, what = `${name} JSON object`): T | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return v as T;
    try {
      return JSON.parse(v) as T;
    } catch {
      throw badRequest(`can't parse ${what}`);
    }
  }

  /** `chat_id`: an integer, or "@username" for public chats. */
  chatId(name = 'chat_id'): number | string {
    const v = this.reqStr(name);
    if (v.startsWith('@')) return v;
    const n = Number(v);
    if (!Number.isInteger(n)) throw badRequest('chat not found');
    return n;
  }

  /** A file parameter: `attach://<part>`, an http(s) URL, or a file id. */
  file(name: string): FileRef {
    const v = this.raw[name];
    // A part named like the parameter itself is how non-grammY clients upload directly.
    const direct = this.uploads.get(name);
    if ((v === undefined || v === null || v === '') && direct) return { kind: 'upload', file: direct };
    if (v === undefined || v === null || v === '') throw badRequest(`there is no ${name} in the request`);
    if (typeof v !== 'string') throw badRequest(`wrong ${name} specified`);
    if (v.startsWith('attach://')) {
      const file = this.uploads.get(v.slice('attach://'.length));
      if (!file) throw badRequest(`there is no ${name} in the request`);
      return { kind: 'upload', file };
    }
    if (/^https?:\/\//i.test(v)) return { kind: 'url', url: v };
    return { kind: 'id', fileId: v };
  }
}
