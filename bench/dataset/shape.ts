/**
 * The shape of a generated data set: how many rows of each kind, and the few knobs that decide
 * how much work the worker's sweeps find on the first run. Everything else (statuses, providers,
 * currencies, dates) follows fixed, realistic proportions (see the steps' comments).
 */
export interface DatasetShape {
  /** Customers (users); each has one subscription. */
  customers: number;
  /** Payments, spread over the customers (two each at the default). */
  payments: number;
  /** VPN servers (panels); accounts are spread over them unevenly (the largest about 12 %). */
  servers: number;
  /**
   * Share of subscriptions whose `ends_at` is a whole day (00:00 Moscow time), as an import with
   * date-only ends gives: hundreds to thousands of subscriptions share one `ends_at`.
   */
  sharedEndsShare: number;
  /**
   * Subscriptions that ended this many hours ago or less are still `active`: the backlog of an
   * expiry sweep that has not run for a while (about 12 k subscriptions at the default).
   */
  backlogHours: number;
  /** Payment events the settlement refused for good (unprocessed, with an error): dead weight for the recovery sweep. */
  refusedEvents: number;
}

export const DEFAULT_SHAPE: DatasetShape = {
  customers: 1_000_000,
  payments: 2_000_000,
  servers: 10,
  sharedEndsShare: 0.15,
  backlogHours: 20,
  refusedEvents: 300,
};

/** The default shape scaled to `customers` (payments and refused events in proportion, at least one server). */
export function scaledShape(customers: number, overrides: Partial<DatasetShape> = {}): DatasetShape {
  const ratio = customers / DEFAULT_SHAPE.customers;
  return {
    ...DEFAULT_SHAPE,
    customers,
    payments: Math.round(DEFAULT_SHAPE.payments * ratio),
    refusedEvents: Math.max(1, Math.round(DEFAULT_SHAPE.refusedEvents * Math.min(1, ratio * 10))),
    ...overrides,
  };
}

/** Refuses a shape the SQL could not honour (non-integers, a payment-less customer base...). */
export function checkShape(shape: DatasetShape): DatasetShape {
  const whole = (name: keyof DatasetShape, min: number) => {
    const v = shape[name];
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${v})`);
  };
  whole('customers', 1);
  whole('payments', 0);
  whole('servers', 1);
  whole('refusedEvents', 0);
  if (!(shape.sharedEndsShare >= 0 && shape.sharedEndsShare <= 1)) throw new Error('sharedEndsShare must be in [0, 1]');
  if (!(shape.backlogHours >= 0 && shape.backlogHours <= 24 * 30)) throw new Error('backlogHours must be in [0, 720]');
  return shape;
}
