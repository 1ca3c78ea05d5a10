import { PNG } from 'pngjs';

/** One day of the chart: revenue (in major units of one currency) and new customers. */
export interface ChartDay {
  /** `YYYY-MM-DD`. */
  day: string;
  revenue: number;
  customers: number;
}

type Rgb = readonly [number, number, number];
const WHITE: Rgb = [255, 255, 255];
const GRID: Rgb = [229, 231, 235];
const AXIS: Rgb = [107, 114, 128];
const BAR: Rgb = [59, 130, 246];
const LINE: Rgb = [234, 88, 12];

/** A 3×5 pixel font for the axis labels: digits and the few signs they need (no font files, no native code). */
const GLYPHS: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001010010010',
  '8': '111101111101111',
  '9': '111101111001111',
  '.': '000000000000010',
  '-': '000000111000000',
  k: '100101110101101',
  M: '101111111101101',
  ' ': '000000000000000',
};

/** `1234` → `1.2k`, `2500000` → `2.5M`: short enough for an axis. */
export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(n));
}

/**
 * Revenue per day as bars (left scale) and new customers per day as a line (right scale), as a
 * PNG drawn pixel by pixel with pngjs (pure JavaScript: nothing to compile or download). Labels
 * are the scales' maxima and the first, middle and last dates; the title and legend go in the
 * photo's caption, in the admin's language.
 */
export function renderChart(days: readonly ChartDay[], size = { width: 720, height: 360 }): Buffer {
  const { width, height } = size;
  const png = new PNG({ width, height });
  const set = (x: number, y: number, [r, g, b]: Rgb) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (Math.round(y) * width + Math.round(x)) * 4;
    png.data[i] = r;
    png.data[i + 1] = g;
    png.data[i + 2] = b;
    png.data[i + 3] = 255;
  };
  const rect = (x0: number, y0: number, x1: number, y1: number, color: Rgb) => {
    for (let y = Math.floor(y0); y < y1; y++) for (let x = Math.floor(x0); x < x1; x++) set(x, y, color);
  };
  const text = (s: string, x: number, y: number, scale = 2) => {
    [...s].forEach((ch, n) => {
      const glyph = GLYPHS[ch] ?? GLYPHS[' ']!;
      for (let i = 0; i < 15; i++)
        if (glyph[i] === '1')
          rect(
            x + (n * 4 + (i % 3)) * scale,
            y + Math.floor(i / 3) * scale,
            x + (n * 4 + (i % 3) + 1) * scale,
            y + (Math.floor(i / 3) + 1) * scale,
            AXIS,
          );
    });
  };
  const line = (x0: number, y0: number, x1: number, y1: number) => {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let s = 0; s <= steps; s++)
      rect(
        x0 + ((x1 - x0) * s) / steps - 1,
        y0 + ((y1 - y0) * s) / steps - 1,
        x0 + ((x1 - x0) * s) / steps + 1,
        y0 + ((y1 - y0) * s) / steps + 1,
        LINE,
      );
  };

  rect(0, 0, width, height, WHITE);
  const left = 56;
  const right = width - 56;
  const top = 24;
  const bottom = height - 28;
  const maxRevenue = Math.max(1, ...days.map((d) => d.revenue));
  const maxCustomers = Math.max(1, ...days.map((d) => d.customers));
  for (let q = 0; q <= 4; q++) rect(left, top + ((bottom - top) * q) / 4, right, top + ((bottom - top) * q) / 4 + 1, q === 4 ? AXIS : GRID);
  const slot = (right - left) / Math.max(1, days.length);
  days.forEach((d, i) => {
    const h = ((bottom - top) * d.revenue) / maxRevenue;
    if (d.revenue > 0) rect(left + i * slot + slot * 0.15, bottom - Math.max(1, h), left + (i + 1) * slot - slot * 0.15, bottom, BAR);
  });
  const point = (i: number) => [left + (i + 0.5) * slot, bottom - ((bottom - top) * (days[i]?.customers ?? 0)) / maxCustomers] as const;
  for (let i = 1; i < days.length; i++) line(...point(i - 1), ...point(i));
  if (days.length === 1) line(...point(0), ...point(0));

  text(compact(maxRevenue), 4, top - 4);
  text(compact(maxCustomers), right + 6, top - 4);
  const label = (i: number) => days[i]?.day.slice(5) ?? '';
  if (days.length > 0) {
    text(label(0), left, bottom + 8);
    text(label(Math.floor((days.length - 1) / 2)), (left + right) / 2 - 20, bottom + 8);
    text(label(days.length - 1), right - 40, bottom + 8);
  }
  return PNG.sync.write(png);
}
