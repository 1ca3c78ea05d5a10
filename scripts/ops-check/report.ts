/**
 * One line per check of `pnpm ops:check`: ✓ passed, ✗ failed (with the fix), – could not be
 * checked and says why (not a failure: e.g. a provider whose API has no read-only call).
 */
export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface CheckLine {
  status: CheckStatus;
  /** What was checked: `telegram`, `forum`, `webhook`, `panel`, `payments`, `config`, `database`. */
  area: string;
  text: string;
}

const MARK: Record<CheckStatus, string> = { ok: '✓', fail: '✗', skip: '–' };

export const ok = (area: string, text: string): CheckLine => ({ status: 'ok', area, text });
export const fail = (area: string, text: string): CheckLine => ({ status: 'fail', area, text });
export const skip = (area: string, text: string): CheckLine => ({ status: 'skip', area, text });

/**
 * Replaces every secret value with `***`: tokens, keys and passwords never reach the terminal,
 * even when an error message quotes a URL or a header that carries one. Short values are kept
 * (a 1-character "secret" would blank every line), which is no loss: no real secret is that short.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
    // A token's secret half alone (after `<id>:`) is as secret as the whole.
    const half = secret.includes(':') ? secret.slice(secret.indexOf(':') + 1) : '';
    if (half.length >= 6) out = out.split(half).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return out;
}

export function formatLine(line: CheckLine, secrets: readonly string[]): string {
  return redact(`${MARK[line.status]} ${line.area}: ${line.text}`, secrets);
}

/** The message of anything thrown, on one line. */
export function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
