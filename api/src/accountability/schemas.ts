/**
 * Request and response schemas of the campaigner (admin) accountability routes. They are not part of the
 * public contract partner sites depend on, so they live here, like the moderation routes' schemas.
 */
import { z } from '@hono/zod-openapi';
import { AccountabilityTargetSchema, countyByCode, CountyCodeSchema, DELIVERY_CHANNELS, LocalizedTextSchema, MILESTONE_STEPS } from '@imlu/contracts';
import { isCalendarDate } from './dates.ts';

const OCD_ID = /^ocd-division\/country:ke(?:\/[a-z_]+:[a-z0-9_~.-]+)*$/;

const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

export const JurisdictionInputSchema = z
  .strictObject({
    level: z.enum(['national', 'county']),
    county: CountyCodeSchema.nullable().optional(),
    ocdId: z.string().max(200).regex(OCD_ID, 'an Open Civic Data id under ocd-division/country:ke').nullable().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.level === 'county' && !value.county) {
      ctx.addIssue({ code: 'custom', path: ['county'], message: 'required' });
    }
    if (value.level === 'national' && value.county) {
      ctx.addIssue({ code: 'custom', path: ['county'], message: 'invalid' });
    }
    if (value.level === 'county' && value.county && value.ocdId) {
      // A county's division, or one inside it (a constituency): never another county's.
      const countyOcd = countyByCode(value.county)?.ocdId;
      if (countyOcd && value.ocdId !== countyOcd && !value.ocdId.startsWith(`${countyOcd}/`)) {
        ctx.addIssue({ code: 'custom', path: ['ocdId'], message: 'invalid' });
      }
    }
  });
export type JurisdictionInput = z.infer<typeof JurisdictionInputSchema>;

export const TargetInputSchema = z.strictObject({
  name: z.string().trim().min(2).max(200),
  office: optionalText(200),
  institution: optionalText(200),
  // Kiswahili forms, under the same rules; null or absent: the board shows the English one in both languages.
  nameSw: z.string().trim().min(2).max(200).nullable().optional().meta({ description: 'The name in Kiswahili, when it differs' }),
  officeSw: optionalText(200),
  institutionSw: optionalText(200),
  jurisdiction: JurisdictionInputSchema,
  publicContact: optionalText(300).meta({ description: 'Published office contact, shown publicly' }),
  deliveryContact: optionalText(300).meta({
    description: 'PRIVATE delivery contact (e.g. a named officer). Write-only: encrypted at rest, never returned',
  }),
});
export const TargetPatchSchema = TargetInputSchema.partial().strict();

// The public fields of a target as the board shows them, plus what only a campaigner sees.
export const AdminTargetSchema = AccountabilityTargetSchema.pick({
  id: true,
  name: true,
  office: true,
  institution: true,
  nameSw: true,
  officeSw: true,
  institutionSw: true,
  jurisdiction: true,
  publicContact: true,
})
  .extend({
    hasDeliveryContact: z.boolean().meta({ description: 'Whether a private delivery contact is stored (it is never returned)' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AdminTarget' });

const CalendarDate = z.string().refine(isCalendarDate, 'invalid').meta({ description: 'YYYY-MM-DD (Africa/Nairobi)', example: '2026-11-02' });

export const AskInputSchema = z
  .strictObject({
    demandIds: z
      .union([z.literal('all'), z.array(z.string()).min(1).max(50)])
      .default('all')
      .meta({ description: 'Demand ids this target is asked for, or `all`' }),
    askedOn: CalendarDate,
    dueOn: CalendarDate.nullable().optional(),
  })
  .refine((v) => !v.dueOn || v.dueOn >= v.askedOn, { path: ['dueOn'], message: 'invalid' });

export const AskSchema = z
  .object({ targetId: z.string(), demandIds: z.array(z.string()), askedOn: z.string(), dueOn: z.string().nullable() })
  .meta({ id: 'AdminAsk' });

/** An ask as the campaign's list shows it: with whether it was answered and how late it is (the board's rules). */
export const AskStatusSchema = AskSchema.extend({
  responded: z.boolean().meta({ description: 'Any position recorded on an asked demand (by the target or the campaign)' }),
  overdue: z.boolean().meta({ description: 'Past the due date (Africa/Nairobi) with no response on any asked demand' }),
  daysOverdue: z.number().int().min(1).nullable(),
}).meta({ id: 'AdminAskStatus' });

export const RECORDABLE_STATUSES = ['acknowledged', 'committed', 'declined', 'delivered', 'broken'] as const;
export type RecordableStatus = (typeof RECORDABLE_STATUSES)[number];

/**
 * https only: a `javascript:` or `data:` link on a public board would be an attack on its readers, and a
 * plain `http://` one can be altered on the way to them. (The table's check still admits `http://`, for
 * entries recorded before this rule.)
 */
export const EvidenceUrlSchema = z
  .string()
  .trim()
  .max(500)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'invalid')
  .meta({ description: 'An https:// address (http:// is refused)' });

export const PositionInputSchema = z.strictObject({
  targetId: z.string(),
  demandIds: z.union([z.literal('all-asked'), z.array(z.string()).min(1).max(50)]).meta({
    description: 'The demands this entry is about (the same status for each), or `all-asked`',
  }),
  status: z.enum(RECORDABLE_STATUSES),
  statement: optionalText(4000),
  statementSw: optionalText(4000).meta({ description: 'The statement in Kiswahili' }),
  evidenceUrl: EvidenceUrlSchema.nullable().optional(),
});

export const MilestoneInputSchema = z
  .strictObject({
    threshold: z.number().int().min(1).max(100_000_000),
    label: z.strictObject({ en: z.string().trim().min(1).max(200), sw: z.string().trim().min(1).max(200) }),
    targetId: z.string().max(64).optional().meta({ description: 'The duty bearer a step is due towards once the milestone is reached' }),
    step: z.enum(MILESTONE_STEPS).optional().meta({ description: '`deliver` the pack, or `ask_response`; with `targetId`' }),
  })
  .refine((v) => !v.targetId || v.step, { path: ['step'], message: 'required' })
  .refine((v) => !v.step || v.targetId, { path: ['targetId'], message: 'required' });

export const DeliveryInputSchema = z.strictObject({
  targetId: z.string().max(64),
  deliveredOn: CalendarDate,
  channel: z.enum(DELIVERY_CHANNELS),
  signatures: z.number().int().min(0).max(100_000_000).meta({ description: "The pack's count: `totalRows` of its manifest.json" }),
  manifestSha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'invalid')
    .transform((hex) => hex.toLowerCase())
    .meta({ description: "SHA-256 of the pack's manifest.json bytes (hex): the export's audit subject `manifest:<hex>`" }),
  email: z.boolean().default(false).meta({
    description: "Also e-mail the target's contact the cover text and a new response link (through the outbox); 422 on `email` when the target has no e-mail contact",
  }),
  dueOn: CalendarDate.nullable().optional().meta({ description: 'When the delivery is the first ask of this target: the response-due date' }),
});

export const DeliveryRecordSchema = z
  .object({
    id: z.string(),
    targetId: z.string(),
    deliveredOn: z.string(),
    channel: z.enum(DELIVERY_CHANNELS),
    signatures: z.number().int(),
    manifestSha256: z.string(),
    emailed: z.boolean().meta({ description: 'The cover and a response link were queued to the target' }),
    askCreated: z.boolean().meta({ description: 'The target had not been asked: the delivery asked it for every demand' }),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'AdminDelivery' });

export const DemandsInputSchema = z.strictObject({
  demands: z
    .array(z.strictObject({ id: z.string().optional().meta({ description: 'An existing demand to keep (and re-word)' }), text: LocalizedTextSchema }))
    .max(20),
});

export const ResponseLinkInputSchema = z.strictObject({
  targetId: z.string(),
  ttlDays: z.number().int().min(1).max(180).default(30),
});

export const ResponseLinkSchema = z
  .object({
    id: z.string(),
    targetId: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'AdminResponseLink' });

export const IssuedResponseLinkSchema = ResponseLinkSchema.extend({
  url: z.string().meta({ description: 'The link to send to the target. Shown ONCE: only its hash is stored' }),
}).meta({ id: 'AdminIssuedResponseLink' });
