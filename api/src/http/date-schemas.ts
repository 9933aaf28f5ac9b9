/** The admin API's `from`/`to` fields, written as everywhere else (see `dates.ts`). */
import { z } from '@hono/zod-openapi';
import { DATE_BOUND_HINT, parseDateBound } from './dates.ts';

/** `from`: at or after this day or instant. */
export const FromBoundSchema = z
  .string()
  .refine((value) => parseDateBound(value) !== undefined, { message: `must be ${DATE_BOUND_HINT}` })
  .meta({ description: 'At or after: a day YYYY-MM-DD (UTC) or an ISO 8601 date-time with a zone', example: '2026-12-01' });

/** `to`: before this instant, or up to the end of this day. */
export const ToBoundSchema = z
  .string()
  .refine((value) => parseDateBound(value, true) !== undefined, { message: `must be ${DATE_BOUND_HINT}` })
  .meta({ description: 'Before: an ISO 8601 date-time with a zone, or a day YYYY-MM-DD (UTC), which includes the whole day', example: '2026-12-06' });
