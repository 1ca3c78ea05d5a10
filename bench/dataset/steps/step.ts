import type { DatasetShape } from '../shape.js';

/** What every step is built from. */
export interface StepContext {
  /** The instant the data set describes ("now" for the sweeps that read it). */
  asOf: Date;
  shape: DatasetShape;
}

/** One set-based statement of the generator (an `INSERT … SELECT … generate_series`). */
export interface Step {
  name: string;
  /** The table it fills (for the row count in the summary). */
  table: string;
  sql: string;
  bind: unknown[];
  /** A statement run after it in the same transaction (a sequence moved past explicit ids). */
  after?: string;
}
