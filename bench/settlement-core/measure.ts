/** Counts statements sent to PostgreSQL while switched on (hand `observe` to `createDatabase`'s `onQuery`). */
export function createQueryCounter() {
  let on = false;
  let statements = 0;
  let transactionControl = 0;
  let sqlLog: string[] | null = null;
  const byShape = new Map<string, { n: number; ms: number }>();
  return {
    observe(sql: string, ms: number): void {
      if (!on) return;
      statements++;
      // Sequelize prefixes "Executed (<tx id>): "; BEGIN/COMMIT are round trips too, counted apart.
      const text = sql.replace(/^Execut\w+ \([^)]*\): /, '');
      if (/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)\b/i.test(text)) transactionControl++;
      sqlLog?.push(text);
      const shape = statementShape(text);
      const seen = byShape.get(shape) ?? { n: 0, ms: 0 };
      seen.n++;
      seen.ms += ms;
      byShape.set(shape, seen);
    },
    /** Statement shapes by total time, longest first (what to shave next). */
    profile(): Array<{ shape: string; n: number; meanMs: number }> {
      return [...byShape].map(([shape, { n, ms }]) => ({ shape, n, meanMs: ms / n })).sort((a, b) => b.n * b.meanMs - a.n * a.meanMs);
    },
    start(capture = false): void {
      on = true;
      statements = 0;
      transactionControl = 0;
      sqlLog = capture ? [] : null;
      byShape.clear();
    },
    stop(): { statements: number; transactionControl: number; sql: string[] } {
      on = false;
      return { statements, transactionControl, sql: sqlLog ?? [] };
    },
  };
}

/** The `p`-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** `UPDATE payments`, `SELECT subscriptions`...: the verb and the first table a statement names. */
function statementShape(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?/i.exec(sql)?.[1] ?? '';
  return `${verb} ${table}`.trim();
}
