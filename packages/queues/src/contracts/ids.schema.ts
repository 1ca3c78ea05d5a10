import { z } from 'zod';

/**
 * Our row ids travel as strings (uuid or bigint alike); a number is accepted and turned into a
 * string so producers can pass whatever their repository returned.
 */
export const entityId = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).transform((v) => String(v));

/** A tick of a scheduled sweep: `at` is when it was scheduled (ISO), for logs only. */
export const tickSchema = z.object({ at: z.string().datetime().optional() }).strict();
