import { tokenizeTelegramHtml } from '@vpn/i18n';

/** Telegram's limit for one message text, in characters. */
export const MESSAGE_MAX_LENGTH = 4096;

interface Open {
  name: string;
  raw: string;
}

/**
 * Splits an HTML text into messages of at most `limit` characters (Telegram: 4096), breaking at
 * line ends where it can, then at spaces, then anywhere but inside a tag, an entity (`&amp;`) or
 * a surrogate pair. Tags open at a break are closed at the end of one part and reopened at the
 * start of the next, so every part is valid HTML on its own. Lengths count the markup too, which
 * is stricter than Telegram (it counts the text after parsing) and therefore safe.
 */
export function splitMessage(text: string, limit: number = MESSAGE_MAX_LENGTH): string[] {
  const splitter = new Splitter(limit);
  for (const line of lines(text)) splitter.addLine(line);
  return splitter.finish();
}

/** Tokens grouped into lines; a line ends with the text piece that ends with `\n`. */
function lines(text: string): string[][] {
  const result: string[][] = [];
  let line: string[] = [];
  for (const token of tokenizeTelegramHtml(text)) {
    const pieces = token.kind === 'text' ? token.raw.split(/(?<=\n)/) : [token.raw];
    for (const piece of pieces) {
      line.push(piece);
      if (piece.endsWith('\n')) {
        result.push(line);
        line = [];
      }
    }
  }
  if (line.length > 0) result.push(line);
  return result;
}

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/;

class Splitter {
  private readonly parts: string[] = [];
  private open: Open[] = [];
  private current = '';
  private hasContent = false;

  constructor(private readonly limit: number) {}

  addLine(atoms: string[]): void {
    const raw = atoms.join('');
    if (this.fits(raw, this.stackAfter(atoms))) return this.append(atoms);
    this.flush();
    if (this.fits(raw, this.stackAfter(atoms))) return this.append(atoms);
    for (const atom of atoms) this.addAtom(atom);
  }

  finish(): string[] {
    this.flush();
    return this.parts;
  }

  private addAtom(atom: string): void {
    if (TAG.test(atom)) {
      if (!this.fits(atom, this.stackAfter([atom]))) this.flush();
      if (!this.fits(atom, this.stackAfter([atom]))) throw new RangeError(`a tag longer than ${this.limit} characters`);
      return this.append([atom]);
    }
    let rest = atom;
    while (rest.length > 0) {
      const room = this.limit - this.current.length - closers(this.open).length;
      if (rest.length <= room) return this.append([rest]);
      const cut = cutPoint(rest, room);
      if (cut === 0 && !this.hasContent) {
        throw new RangeError(`limit ${this.limit} leaves no room for text inside the open tags`);
      }
      if (cut > 0) {
        this.append([rest.slice(0, cut)]);
        rest = rest.slice(cut);
      }
      this.flush();
    }
  }

  private fits(raw: string, stackAfter: Open[]): boolean {
    return this.current.length + raw.length + closers(stackAfter).length <= this.limit;
  }

  private stackAfter(atoms: string[]): Open[] {
    const stack = [...this.open];
    for (const atom of atoms) {
      const m = TAG.exec(atom);
      if (!m) continue;
      const name = (m[2] ?? '').toLowerCase();
      if (!m[1]) stack.push({ name, raw: atom });
      else if (stack.at(-1)?.name === name) stack.pop();
    }
    return stack;
  }

  private append(atoms: string[]): void {
    this.open = this.stackAfter(atoms);
    this.current += atoms.join('');
    if (atoms.some((a) => !TAG.test(a) && a.trim() !== '')) this.hasContent = true;
  }

  private flush(): void {
    if (this.hasContent) this.parts.push(this.current + closers(this.open));
    this.current = this.open.map((o) => o.raw).join('');
    this.hasContent = false;
  }
}

function closers(open: Open[]): string {
  return open
    .map((o) => `</${o.name}>`)
    .reverse()
    .join('');
}

/** Where to cut `text` to keep at most `room` characters: after a space, else not inside an entity or a surrogate pair. */
function cutPoint(text: string, room: number): number {
  if (room <= 0) return 0;
  const space = text.lastIndexOf(' ', room - 1);
  if (space > 0) return space + 1;
  let cut = room;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp !== -1 && !text.slice(amp, cut).includes(';') && /^&(?:#?\w+);/.test(text.slice(amp))) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return cut;
}
