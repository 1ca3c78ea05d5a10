/** Stable codes a repository refuses with; callers branch on `code`, never on the message. */
export type DbErrorCode = 'NOT_FOUND' | 'ILLEGAL_TRANSITION' | 'CONFLICT' | 'VERSION_CONFLICT' | 'INVALID_INPUT' | 'DECRYPT_FAILED';

/** An error raised by `@vpn/db` itself (not by PostgreSQL): the operation changed nothing. */
export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DbError';
  }
}

/** A state machine refused a move (e.g. a payment `succeeded → pending`). Nothing was written. */
export class IllegalTransitionError extends DbError {
  constructor(
    readonly entity: string,
    readonly id: string | number,
    readonly from: string,
    readonly to: string,
  ) {
    super('ILLEGAL_TRANSITION', `${entity} ${id}: illegal transition ${from} → ${to}`, {
      entity,
      id,
      from,
      to,
    });
    this.name = 'IllegalTransitionError';
  }
}

/** Raised when an optimistic `version` check fails: someone else changed the row first. */
export class VersionConflictError extends DbError {
  constructor(entity: string, id: string | number, expected: number) {
    super('VERSION_CONFLICT', `${entity} ${id}: expected version ${expected} is stale`, {
      entity,
      id,
      expected,
    });
    this.name = 'VersionConflictError';
  }
}

/** PostgreSQL unique_violation (23505), whether raw or wrapped by Sequelize. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: string;
    parent?: { code?: string };
    original?: { code?: string };
    code?: string;
  };
  return e.name === 'SequelizeUniqueConstraintError' || e.code === '23505' || e.parent?.code === '23505' || e.original?.code === '23505';
}
