/**
 * Response schemas of the console's figures. Admin answers live beside their routers in this API (as the
 * other admin routers keep theirs); `@imlu/contracts` holds what the widget and partner pages read.
 */
import { z } from '@hono/zod-openapi';
import { isCalendarDate } from '../accountability/dates.ts';
import { PARTNER_VIEW_DAYS } from './partner-views.ts';

export const CalendarDateSchema = z
  .string()
  .refine(isCalendarDate, { message: 'invalid' })
  .meta({ description: 'A calendar day in Africa/Nairobi, YYYY-MM-DD', example: '2026-12-06' });

export const RangeQuerySchema = z.object({
  from: CalendarDateSchema.optional(),
  to: CalendarDateSchema.optional(),
});

const LocalizedSchema = z.object({ en: z.string(), sw: z.string() });
const int = () => z.number().int().nonnegative();
/** A count, or `<5` where a small number could point at a person (see docs/stats.md). */
const FlooredSchema = z.union([int(), z.literal('<5')]).meta({ id: 'FlooredCount', description: 'A count, or "<5" for 1 to 4' });

const DayStatesSchema = z.object({
  counted: int(),
  pending: int(),
  suspect: int().meta({ description: 'Stored, never counted: over a rate limit, or held for review' }),
  held: int().meta({ description: 'Of suspect: held for review (one name too many on a family phone)' }),
  invalid: int().meta({ description: 'Invalidated by a moderator' }),
});
const TotalsSchema = z.object({ counted: int(), pending: int(), suspect: int() });
const MilestoneSchema = z.object({ threshold: int(), label: LocalizedSchema, reachedAt: z.iso.datetime().nullable() });

export const DailyStatsSchema = z
  .object({
    timeZone: z.literal('Africa/Nairobi'),
    from: z.string(),
    to: z.string(),
    days: z.array(DayStatesSchema.extend({ date: z.string() })).meta({ description: 'Every day of the range, oldest first, zeros included' }),
    range: DayStatesSchema.meta({ description: 'The sums of days' }),
    totals: TotalsSchema.meta({ description: 'The whole campaign now (the running totals)' }),
    progress: z.object({
      goal: int().nullable(),
      counted: int(),
      share: z.number().nullable().meta({ description: 'counted ÷ goal (may pass 1), four decimals; null without a goal' }),
      remaining: int().nullable(),
    }),
    milestones: z.object({ reached: z.array(MilestoneSchema), next: MilestoneSchema.extend({ remaining: int() }).nullable() }),
    anonymisedAt: z.iso.datetime().nullable().meta({ description: 'Retention deleted the rows then: earlier days show nothing' }),
  })
  .meta({ id: 'DailyStats' });

export const CountyTableSchema = z
  .object({
    counties: z.array(
      z.object({ code: z.string(), name: LocalizedSchema, counted: int(), pending: int(), share: z.number().meta({ description: 'Of all counted, 0–1' }) }),
    ),
    unknown: z.object({ counted: int(), pending: int(), share: z.number() }).meta({ description: 'Signatures that gave no county' }),
    totals: TotalsSchema,
  })
  .meta({ id: 'CountyTable' });

const FiguresSchema = z.object({
  counted: FlooredSchema,
  pending: FlooredSchema,
  confirmationRate: z.number().nullable().meta({ description: 'Confirmed ÷ sent a confirmation; null when none was, or when floored' }),
  topCounties: z.array(z.object({ code: z.string(), counted: FlooredSchema })).meta({ description: 'Up to 5; counties under 5 follow as "<5", by code' }),
});

export const PartnerStatsSchema = z
  .object({
    timeZone: z.literal('Africa/Nairobi'),
    from: z.string().nullable(),
    to: z.string().nullable(),
    floor: int(),
    origins: z.array(
      FiguresSchema.extend({
        origin: z.string().nullable().meta({ description: 'The signing page origin; null = no Origin header' }),
        sources: z.array(FiguresSchema.extend({ source: z.string().nullable(), other: z.literal(true).optional() })),
      }),
    ),
  })
  .meta({ id: 'PartnerStats' });

export const PartnerViewSchema = z
  .object({
    campaign: z.object({ slug: z.string(), title: LocalizedSchema }),
    origin: z.string(),
    expiresAt: z.iso.datetime(),
    stats: PartnerStatsSchema,
  })
  .meta({ id: 'PartnerView' });

const TripleSchema = z.object({ counted: z.number().int(), pending: z.number().int(), suspect: z.number().int() });

export const ReconciliationSchema = z
  .object({
    lastRun: z
      .object({
        at: z.iso.datetime(),
        durationMs: int(),
        ok: z.boolean().meta({ description: 'No drift' }),
        drifts: z.array(
          z.object({
            campaignId: z.string(),
            slug: z.string().nullable(),
            bucket: z.string().meta({ description: '`total` or a county code' }),
            stored: TripleSchema.meta({ description: 'The running totals' }),
            actual: TripleSchema.meta({ description: 'What the signatures say' }),
          }),
        ),
      })
      .nullable(),
  })
  .meta({ id: 'Reconciliation' });

export const NewPartnerViewSchema = z
  .strictObject({
    origin: z.string().min(1).max(300).meta({ description: 'The partner page origin, as browsers send it: https://host[:port]', example: 'https://www.partner.example' }),
    label: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^\p{Cc}]*$/u)
      .optional()
      .meta({ description: 'Who it is for, in your words (never a person’s name or contact)' }),
    days: z.number().int().min(1).max(3660).default(PARTNER_VIEW_DAYS).meta({ description: 'Days until the link stops working' }),
  })
  .meta({ id: 'NewPartnerView' });

export const PartnerViewInfoSchema = z
  .object({
    id: z.string(),
    origin: z.string(),
    label: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'PartnerViewInfo' });

export const IssuedPartnerViewSchema = PartnerViewInfoSchema.extend({
  url: z.string().meta({ description: 'The read-only link; it holds the secret and is shown only this once' }),
}).meta({ id: 'IssuedPartnerView' });
