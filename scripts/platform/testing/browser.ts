/**
 * Pages in a real browser: Debian's `chromium`, headless. Screenshots are kept as test artefacts
 * (`test-artifacts/pages/`), and a page's layout width is measured by the browser itself.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const run = (file: string, args: string[], options: { timeout: number }) =>
  exec(file, args, options).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new Error('chromium is not installed: apt-get install chromium (Debian) to check pages in a browser');
    throw error;
  });
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'pages');

/** A phone (iPhone SE width) and a desktop. */
export const WIDTHS = { phone: { width: 375, height: 740 }, desktop: { width: 1280, height: 800 } } as const;

// No sandbox (tests run as root in containers); virtual time stops before pages' own redirects.
// Headless chromium keeps windows at least 500 px wide, so a page is shown in a frame of the
// wanted size (its HTML as the frame's srcdoc: our pages load nothing from elsewhere, and their
// CSP forbids being framed from their own address).
const flags = (size: { width: number; height: number }) => [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--hide-scrollbars',
  '--no-first-run',
  '--disable-dev-shm-usage',
  `--window-size=${Math.max(size.width, 500)},${size.height}`,
  '--virtual-time-budget=800',
];

const escapeAttr = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** A file showing `html` in a frame of `size`; its title becomes the frame's laid-out width. */
function framed(html: string, size: { width: number; height: number }): string {
  const file = join(tmpdir(), `page-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(
    file,
    `<!doctype html><html><head><title>?</title></head><body style="margin:0">` +
      `<iframe id="f" style="border:0;width:${size.width}px;height:${size.height}px" srcdoc="${escapeAttr(html)}" ` +
      `onload="document.title='W'+this.contentDocument.documentElement.scrollWidth+'W'"></iframe></body></html>`,
  );
  return `file://${file}`;
}

/** Saves a screenshot of the page `html` at `size` as `test-artifacts/pages/<name>.png`; returns its path. */
export async function screenshot(html: string, name: string, size: { width: number; height: number }): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name}.png`);
  await run('chromium', [...flags(size), `--screenshot=${file}`, framed(html, size)], { timeout: 60_000 });
  return file;
}

/**
 * The page's laid-out width in CSS pixels at that width, as chromium measures it: wider than the
 * screen means the customer scrolls sideways (something overflows).
 */
export async function layoutWidth(html: string, size: { width: number; height: number }): Promise<number> {
  const { stdout } = await run('chromium', [...flags(size), '--dump-dom', framed(html, size)], { timeout: 60_000 });
  const width = /<title>W(\d+)W<\/title>/.exec(stdout)?.[1];
  if (!width) throw new Error(`chromium did not measure the page: ${stdout.slice(0, 300)}`);
  return Number(width);
}
