import type { BroadcastVersion } from '@vpn/db';
import { InputFile, type Api } from 'grammy';
import type { Message } from 'grammy/types';

type Media = NonNullable<BroadcastVersion['media']>;

/** Where a broadcast's media was composed: the admin bot's API and the Bot API root its files download from. */
export interface MediaSource {
  api: Api;
  apiRoot?: string;
}

/** How many files' client-bot ids are remembered (a broadcast has one per language). */
const REMEMBERED = 64;

/**
 * Telegram's file ids are per bot: the admin sent the photo to the admin bot, customers get it
 * from the client bot, which cannot use the admin bot's id. The first send of a file downloads it
 * from the admin bot and uploads it with that message; every later send reuses the id the client
 * bot got back. Uploads of one file are one at a time, so a batch uploads it once, not once per
 * row; a failed upload (a customer who blocked the bot) leaves the next row to try.
 */
export class BroadcastMedia {
  private readonly ids = new Map<string, string>();
  private readonly turns = new Map<string, Promise<void>>();

  constructor(private readonly source: MediaSource | undefined) {}

  async send(media: Media, send: (file: string | InputFile) => Promise<Message>): Promise<Message> {
    const known = this.ids.get(media.fileId);
    if (known) return send(known);
    const previous = this.turns.get(media.fileId) ?? Promise.resolve();
    let done!: () => void;
    const turn = previous.then(() => new Promise<void>((resolve) => (done = resolve)));
    this.turns.set(media.fileId, turn);
    await previous;
    try {
      const id = this.ids.get(media.fileId);
      if (id) return await send(id);
      const sent = await send(new InputFile(await this.download(media.fileId), media.kind === 'photo' ? 'photo.jpg' : 'video.mp4'));
      const own = media.kind === 'photo' ? sent.photo?.at(-1)?.file_id : sent.video?.file_id;
      if (own) this.remember(media.fileId, own);
      return sent;
    } finally {
      done();
      if (this.turns.get(media.fileId) === turn) this.turns.delete(media.fileId);
    }
  }

  private remember(sourceId: string, ownId: string): void {
    this.ids.set(sourceId, ownId);
    const oldest = this.ids.keys().next().value;
    if (this.ids.size > REMEMBERED && oldest !== undefined) this.ids.delete(oldest);
  }

  /** The file's bytes from the admin bot (Bot API downloads are limited to 20 MB). */
  private async download(fileId: string): Promise<Uint8Array> {
    if (!this.source)
      throw new Error('a broadcast with a photo or video needs ADMIN_BOT_TOKEN in the worker (the file is the admin bot’s)');
    const { api, apiRoot = 'https://api.telegram.org' } = this.source;
    const file = await api.getFile(fileId);
    if (!file.file_path) throw new Error('the admin bot got no download path for the broadcast’s file');
    const res = await fetch(`${apiRoot.replace(/\/+$/, '')}/file/bot${api.token}/${file.file_path}`, {
      signal: AbortSignal.timeout(60_000),
    });
    // The URL holds the admin bot's token: only the status is told.
    if (!res.ok) throw new Error(`the broadcast's file could not be downloaded from the admin bot (HTTP ${res.status})`);
    return new Uint8Array(await res.arrayBuffer());
  }
}
