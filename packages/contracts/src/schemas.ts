/**
 * zod schemas of the public API. The API validates with these and generates its OpenAPI document from
 * them; the widget imports only the inferred types (never zod at run time).
 */
import { z } from 'zod';
import { COUNTY_CODES } from './counties.ts';
import { FIELD_ERROR_CODES, type FieldErrorCode } from './problems.ts';
import { normalisePhone } from './phone.ts';

import { LOCALES } from './locale.ts';
import { isPlainLine, isPlainMultiline, isPlainName, normaliseLineBreaks } from './text-rules.ts';
export const LocaleSchema = z.enum(LOCALES).meta({ id: 'Locale', description: 'English or Kiswahili' });


export const LocalizedTextSchema = z
  .object({ en: z.string(), sw: z.string() })
  .meta({ id: 'LocalizedText', description: 'A text in English and Kiswahili' });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const CountyCodeSchema = z.enum(COUNTY_CODES, { error: code('invalid_county') }).meta({
  id: 'CountyCode',
  description: "ISO 3166-2:KE code of one of Kenya's 47 counties",
  example: 'KE-30',
});

export const CampaignKindSchema = z.enum(['petition', 'pledge']);
export type CampaignKind = z.infer<typeof CampaignKindSchema>;
export const CampaignStatusSchema = z.enum(['draft', 'open', 'closed']);
export type CampaignStatus = z.infer<typeof CampaignStatusSchema>;

/**
 * How a campaign's signers confirm: `none` (counted at once), `email` (a link by e-mail), `sms` (a code by
 * SMS) or `either` (e-mail when the signer gave one, otherwise SMS).
 */
export const VERIFICATION_MODES = ['none', 'email', 'sms', 'either'] as const;
export const VerificationSchema = z.enum(VERIFICATION_MODES).meta({
  id: 'Verification',
  description:
    'How signers confirm: `none` (counted at once), `email` (link by e-mail), `sms` (code by SMS), `either` (e-mail when given, else SMS)',
});
export type Verification = z.infer<typeof VerificationSchema>;

/**
 * File formats of a signature export (`GET /admin/campaigns/{slug}/export?format=`, `imlu export --format`):
 * RFC 4180 CSV, an xlsx workbook, an OSDI JSON collection, or the PDF delivery pack (docs/exports.md).
 */
export const EXPORT_FORMATS = ['csv', 'json', 'pdf', 'xlsx'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS).meta({
  id: 'ExportFormat',
  description: 'Export file format: `csv` (RFC 4180, UTF-8 with BOM), `xlsx`, `json` (an OSDI collection of signatures) or `pdf` (delivery pack)',
});
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/**
 * Proof-of-work for a campaign's signers: `none`, or `altcha` (the widget fetches a challenge from
 * `GET /v1/campaigns/:slug/challenge` on first interaction, solves it in the background, and sends the
 * solution as `altcha`).
 */
export const ChallengeModeSchema = z.enum(['none', 'altcha']).meta({ id: 'ChallengeMode' });
export type ChallengeMode = z.infer<typeof ChallengeModeSchema>;

export const AltchaChallengeSchema = z
  .object({
    algorithm: z.string(),
    challenge: z.string(),
    maxnumber: z.number().int().optional(),
    salt: z.string(),
    signature: z.string(),
  })
  .meta({ id: 'AltchaChallenge', description: 'An ALTCHA proof-of-work challenge (HMAC-signed, expiring)' });
export type AltchaChallenge = z.infer<typeof AltchaChallengeSchema>;

export const SlugSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');

export const DemandSchema = z
  .object({ id: z.string(), position: z.number().int().min(1), text: LocalizedTextSchema })
  .meta({ id: 'Demand' });
export type Demand = z.infer<typeof DemandSchema>;

/** What a pledge campaign asks its supporters to do (issue 16). */
export const PledgeActionSchema = z
  .object({
    id: z.string(),
    position: z.number().int().min(1),
    title: LocalizedTextSchema.meta({ description: 'What to do, e.g. "Attend the hearing at Milimani Law Courts"' }),
    place: LocalizedTextSchema.nullable().meta({ description: 'Where, in words; null when the action has no place' }),
    county: CountyCodeSchema.nullable().meta({ description: 'ISO 3166-2:KE code of the county where it happens, or null' }),
    startsAt: z.iso.datetime().nullable().meta({ description: 'When it starts; null for an action without a date' }),
    capacity: z.number().int().min(1).nullable().meta({ description: 'Places available; null for no limit' }),
  })
  .meta({ id: 'PledgeAction' });
export type PledgeAction = z.infer<typeof PledgeActionSchema>;

/** What a supporter said of one pledged action (issue 16): still pledged, can't make it (frees the place), or done. */
export const PLEDGE_STATES = ['pledged', 'cant', 'done'] as const;
export const PledgeStateSchema = z.enum(PLEDGE_STATES).meta({ id: 'PledgeState' });
export type PledgeState = z.infer<typeof PledgeStateSchema>;

/**
 * Public figures of one pledge action. Only pledges whose signature counts (confirmed where the campaign
 * confirms, not flagged) are in them; like the signature count, they move in whole steps and never show
 * who. `kept` counts each person once, whether they reported "done" or a campaigner recorded them as there.
 */
export const PledgeFiguresSchema = z
  .object({
    id: z.string(),
    position: z.number().int().min(1),
    pledged: z.number().int().min(0).meta({ description: 'Supporters who pledged it and have not said they cannot make it' }),
    reminded: z.number().int().min(0).meta({ description: 'Of those, reminded at least once' }),
    kept: z.number().int().min(0).meta({ description: 'Kept: reported done by the supporter or recorded as there by the campaign, once per person' }),
    cant: z.number().int().min(0).meta({ description: "Said they can't make it (their place freed)" }),
    placesLeft: z.number().int().min(0).nullable().meta({ description: 'Capacity minus pledged; null when the action has no capacity' }),
    // Optional: older servers send none.
    startsAt: z.iso.datetime().nullable().optional().meta({
      description: "The action's start (as `PledgeAction.startsAt`), so that a counter can tell kept promises of what has happened from pledges still ahead",
    }),
  })
  .meta({ id: 'PledgeFigures' });
export type PledgeFigures = z.infer<typeof PledgeFiguresSchema>;

/** A pledge action with its figures, as the accountability board shows it beside the duty bearers' commitments. */
export const BoardPledgeSchema = PledgeActionSchema.extend(PledgeFiguresSchema.omit({ id: true, position: true, startsAt: true }).shape).meta({ id: 'BoardPledge' });
export type BoardPledge = z.infer<typeof BoardPledgeSchema>;

/** A duty bearer's Kiswahili name, office and institution: null where the English one is shown in both. */
const targetSwFields = {
  nameSw: z.string().nullable().meta({ description: 'The name in Kiswahili, when it differs; null: show `name`' }),
  officeSw: z.string().nullable().meta({ description: 'The office in Kiswahili; null: show `office`' }),
  institutionSw: z.string().nullable().meta({ description: 'The institution in Kiswahili; null: show `institution`' }),
};

export const TargetSchema = z
  .object({ id: z.string(), name: z.string(), office: z.string().nullable(), institution: z.string().nullable(), ...targetSwFields })
  .meta({ id: 'Target', description: 'A duty bearer the campaign addresses' });
export type Target = z.infer<typeof TargetSchema>;

export const CountsSchema = z
  .object({
    signatures: z.number().int().min(0).meta({ description: 'Counted (verified where required) signatures' }),
    pending: z.number().int().min(0).optional().meta({
      deprecated: true,
      description:
        'No longer sent. Unconfirmed signatures are not published: a figure that moves with one unconfirmed signature would tell ' +
        'a stranger whether a phone number or address had already signed. Campaigners see them in the admin API.',
    }),
    goal: z.number().int().min(0).nullable(),
    byCounty: z.record(z.string(), z.number().int().min(0)).meta({
      description: 'Counted signatures per county, keyed by ISO 3166-2:KE code',
      example: { 'KE-30': 120, 'KE-17': 14 },
    }),
    updatedAt: z.iso.datetime().meta({
      description: 'When this server last saw a published figure change, to the second (not the time of any one signature)',
    }),
    actions: z.array(PledgeFiguresSchema).optional().meta({ description: "A pledge campaign's figures per action, in the order shown (sent for a pledge with actions only)" }),
  })
  .meta({ id: 'Counts' });
export type Counts = z.infer<typeof CountsSchema>;

/** What a milestone asks the campaign to do towards one duty bearer once the count reaches it. */
export const MILESTONE_STEPS = ['deliver', 'ask_response'] as const;

export const MilestoneSchema = z
  .object({
    threshold: z.number().int().min(1),
    label: LocalizedTextSchema,
    reachedAt: z.iso.datetime().nullable(),
    // Optional: older servers and fixtures have none; the board sends it on every milestone.
    step: z
      .object({
        targetId: z.string(),
        targetName: z.string().meta({ description: 'The duty bearer’s name (the board lists only targets already asked)' }),
        step: z.enum(MILESTONE_STEPS).meta({ description: '`deliver` the pack; `ask_response`: ask the duty bearer for a response' }),
        due: z.boolean().meta({ description: 'Reached, and no delivery (or, for `ask_response`, response link) recorded since' }),
      })
      .nullable()
      .optional()
      .meta({ description: 'A step towards one duty bearer that reaching the milestone calls for' }),
  })
  .meta({ id: 'Milestone', description: 'A signature count and what happens at it (e.g. 10,000 → delivered to the DPP)' });
export type Milestone = z.infer<typeof MilestoneSchema>;

export const CampaignSchema = z
  .object({
    slug: SlugSchema,
    kind: CampaignKindSchema,
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    body: LocalizedTextSchema,
    demands: z.array(DemandSchema),
    targets: z.array(TargetSchema),
    goal: z.number().int().min(0).nullable(),
    status: CampaignStatusSchema,
    opensAt: z.iso.datetime().nullable(),
    closesAt: z.iso.datetime().nullable(),
    requiresVerification: z
      .boolean()
      .meta({ description: 'True unless `verification` is `none`: signatures wait (pending) until confirmed' }),
    // Optional in the contract so clients written against older servers (and their fixtures) stay valid;
    // this API always sends it.
    verification: VerificationSchema.optional(),
    consentVersion: z.string().meta({ description: 'Version of the consent wording a signer agrees to' }),
    challenge: ChallengeModeSchema.optional(),
    counts: CountsSchema,
    milestones: z.array(MilestoneSchema).optional().meta({ description: 'Milestones on the signature count, lowest first' }),
    // Optional: older servers send none, and this API sends it only for a pledge.
    actions: z.array(PledgeActionSchema).optional().meta({ description: 'A pledge campaign\'s actions, in the order shown (sent for `kind: pledge` only)' }),
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof CampaignSchema>;

/**
 * What the petition widget needs before a signer acts (`GET /v1/campaigns/{slug}/form`): the campaign
 * without its long text and its targets, which it never shows. On 2G every kilobyte before the form counts.
 */
export const CampaignFormSchema = CampaignSchema.omit({ body: true, targets: true }).meta({ id: 'CampaignForm' });
export type CampaignForm = z.infer<typeof CampaignFormSchema>;

function code(fieldCode: FieldErrorCode): string {
  return fieldCode;
}

export const NAME_MAX = 120;
export const COMMENT_MAX = 500;

export const SignRequestSchema = z
  .strictObject(
    {
      name: z
        .string({ error: (issue) => (issue.input === undefined ? code('required') : code('invalid_type')) })
        .trim()
        .normalize('NFC')
        // An empty name is `required`, not also `invalid_name`. (Not by `abort: true`: an aborted field stops
        // the object's own checks, and the "phone or e-mail" rule below would wait for the next round.)
        .min(1, { error: code('required') })
        .max(NAME_MAX, { error: code('too_long') })
        .refine((name) => name === '' || isPlainName(name), { error: code('invalid_name') }),
      email: z
        .string({ error: code('invalid_type') })
        .trim()
        .max(254, { error: code('too_long') })
        .pipe(z.email({ error: code('invalid_email') }))
        .optional(),
      // Parsed into E.164 here, so that every channel refuses the same numbers in the same round.
      phone: z
        .string({ error: code('invalid_type') })
        .trim()
        .min(4, { error: code('invalid_phone') })
        .max(32, { error: code('invalid_phone') })
        .transform((value, ctx) => {
          const e164 = normalisePhone(value);
          if (e164) return e164;
          ctx.addIssue({ code: 'custom', message: code('invalid_phone') });
          return z.NEVER;
        })
        .optional()
        .meta({ description: 'Any common way of writing the number (`0712 345678`, `+254712345678`); other countries with their `+` code' }),
      county: CountyCodeSchema.optional(),
      consent: z.strictObject(
        {
          terms: z.literal(true, { error: code('consent_required') }),
          publicName: z.boolean({ error: code('invalid_type') }).default(false),
          shareWithTargets: z.boolean({ error: code('invalid_type') }).default(false),
          updates: z.boolean({ error: code('invalid_type') }).default(false),
        },
        { error: (issue) => (issue.input === undefined ? code('consent_required') : code('invalid_type')) },
      ),
      comment: z
        .string({ error: code('invalid_type') })
        .trim()
        .normalize('NFC')
        .overwrite(normaliseLineBreaks)
        .max(COMMENT_MAX, { error: code('too_long') })
        .refine(isPlainMultiline, { error: code('invalid') })
        .optional(),
      locale: z.enum(LOCALES, { error: code('invalid_locale') }).optional(),
      // A pledge campaign with actions (issue 16): the ids of the actions pledged (at least one there;
      // refused on any other campaign), and whether to be reminded the day before and on the day.
      actions: z
        .array(z.string({ error: code('invalid_type') }).min(1, { error: code('invalid_action') }).max(64, { error: code('invalid_action') }), { error: code('invalid_type') })
        .max(20, { error: code('too_long') })
        .optional()
        .meta({ description: "For a pledge campaign with actions: the ids of the actions pledged (`PledgeAction.id`), at least one" }),
      remind: z.boolean({ error: code('invalid_type') }).optional().meta({
        description: 'For a pledge: remind me the day before and on the day of each dated action (SMS within 08:00–20:00 Nairobi time, or e-mail)',
      }),
      source: z
        .string({ error: code('invalid_type') })
        .trim()
        .normalize('NFC')
        .max(200, { error: code('too_long') })
        .refine(isPlainLine, { error: code('invalid') })
        .optional(),
      // Bot friction (issue 4). None of these is shown to the signer.
      website: z.string({ error: code('invalid_type') }).max(200, { error: code('too_long') }).optional().meta({
        description:
          'Honeypot: a field hidden from people. Anything in it marks the signature `suspect`, silently (the answer is the same).',
      }),
      elapsedMs: z.number({ error: code('invalid_type') }).int({ error: code('invalid_type') }).min(0, { error: code('invalid') }).max(86_400_000, { error: code('invalid') }).optional().meta({
        description:
          'Milliseconds from the first interaction with the form to this submission. Under the minimum fill time (default 2 s) the signature is stored `suspect`, silently.',
      }),
      altcha: z.string({ error: code('invalid_type') }).min(1, { error: code('challenge_required') }).max(4000, { error: code('too_long') }).optional().meta({
        description:
          'For campaigns with `challenge: "altcha"`: the base64 ALTCHA payload solving a challenge from `GET …/challenge`. Each challenge is accepted once and expires.',
      }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? code('unknown_field') : code('invalid_type')) },
  )
  // Checked even when other fields failed (zod skips a refinement after a field's error unless told `when`),
  // so a signer hears every problem in one round, "phone or e-mail" included (issue 14).
  .refine((value) => Boolean(value.email || value.phone), {
    path: ['email'],
    error: code('contact_required'),
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })
  .meta({
    id: 'SignRequest',
    description: 'A signature. At least one of email or phone is required.',
    example: {
      name: 'Wanjirũ Kamau',
      phone: '0712 345678',
      county: 'KE-30',
      consent: { terms: true, publicName: false, shareWithTargets: true, updates: false },
      locale: 'sw',
    },
  });
export type SignRequest = z.input<typeof SignRequestSchema>;
export type SignRequestParsed = z.output<typeof SignRequestSchema>;

export const SignResponseSchema = z
  .object({
    status: z.enum(['pending_verification', 'counted']),
    confirmation: z
      .object({
        channel: z.enum(['email', 'sms']).meta({ description: 'Where the confirmation was sent' }),
        handle: z.string().optional().meta({
          description:
            'For `sms`: an opaque handle to send back with the code to `POST …/confirmations`. It reveals nothing and is ' +
            'issued alike for new and duplicate signatures.',
        }),
      })
      .optional()
      .meta({ description: 'Present when the signature waits for confirmation' }),
  })
  .meta({
    id: 'SignResponse',
    description: 'The same for a new signature and a duplicate: the API never reveals who already signed.',
  });
export type SignResponse = z.infer<typeof SignResponseSchema>;

export const ConfirmRequestSchema = z
  .strictObject(
    {
      handle: z.string({ error: code('required') }).min(1, { error: code('required') }).max(400, { error: code('too_long') }),
      code: z
        .string({ error: code('required') })
        .trim()
        .regex(/^\d{6}$/, { error: code('invalid') }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? code('unknown_field') : code('invalid_type')) },
  )
  .meta({
    id: 'ConfirmRequest',
    description: 'The 6-digit code from the SMS and the handle from the sign response.',
    example: { handle: 'v1.…', code: '123456' },
  });
export type ConfirmRequest = z.input<typeof ConfirmRequestSchema>;

export const ConfirmResponseSchema = z
  .object({
    status: z.enum(['counted', 'held']).meta({
      description:
        '`counted`; or `held`: confirmed, but the phone number already confirmed as many names as the campaign allows one phone ' +
        '(`phoneHousehold`), so a campaigner reviews it before it counts',
    }),
  })
  .meta({ id: 'ConfirmResponse' });
export type ConfirmResponse = z.infer<typeof ConfirmResponseSchema>;

export const ResendCodeRequestSchema = z
  .strictObject(
    {
      handle: z.string({ error: code('required') }).min(1, { error: code('required') }).max(400, { error: code('too_long') }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? code('unknown_field') : code('invalid_type')) },
  )
  .meta({ id: 'ResendCodeRequest', description: 'The handle from the sign response: send a new SMS code for it.' });
export type ResendCodeRequest = z.input<typeof ResendCodeRequestSchema>;

export const ResendCodeResponseSchema = z
  .object({ status: z.literal('queued') })
  .meta({
    id: 'ResendCodeResponse',
    description: 'The same whether or not a message was sent (it never tells whether the number signed or was confirmed).',
  });
export type ResendCodeResponse = z.infer<typeof ResendCodeResponseSchema>;

export const FieldErrorSchema = z
  .object({
    path: z.string().meta({ description: 'Dotted path of the field, e.g. `consent.terms`' }),
    code: z.enum(FIELD_ERROR_CODES),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:imlu:problem:validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof ProblemSchema>;

export const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const ReadySchema = z
  .object({ status: z.enum(['ready', 'not_ready']), checks: z.record(z.string(), z.boolean()) })
  .meta({ id: 'Ready' });

// ---------------------------------------------------------------------------------------------------
// Accountability (issue 5): duty bearers, their positions per demand, and milestones on the count.

/** A duty bearer's position on one demand. `not_asked` and `asked` are where every position starts. */
export const POSITION_STATUSES = [
  'not_asked',
  'asked',
  'acknowledged',
  'committed',
  'declined',
  'delivered',
  'broken',
] as const;
export const PositionStatusSchema = z.enum(POSITION_STATUSES).meta({
  id: 'PositionStatus',
  description:
    '`not_asked`; `asked` (no response yet); `acknowledged`; `committed`; `declined`; `delivered` (kept the commitment); `broken` (did not)',
});
export type PositionStatus = z.infer<typeof PositionStatusSchema>;

export const JurisdictionSchema = z
  .object({
    level: z.enum(['national', 'county']),
    county: CountyCodeSchema.nullable().meta({ description: 'ISO 3166-2:KE code when `level` is `county`' }),
    ocdId: z.string().nullable().meta({ description: 'Open Civic Data division id, when known' }),
  })
  .meta({ id: 'Jurisdiction' });
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

export const PositionEntrySchema = z
  .object({
    status: PositionStatusSchema,
    statement: z.string().nullable(),
    statementSw: z.string().nullable().meta({ description: 'The statement in Kiswahili; null: show `statement`' }),
    evidenceUrl: z.string().nullable(),
    recordedAt: z.iso.datetime(),
    recordedBy: z.enum(['duty_bearer', 'campaign']).meta({
      description: '`duty_bearer`: self-reported through a response link; `campaign`: recorded by the campaign (e.g. from a letter)',
    }),
  })
  .meta({ id: 'PositionEntry', description: 'One dated, append-only change of a position' });
export type PositionEntry = z.infer<typeof PositionEntrySchema>;

export const TargetPositionSchema = z
  .object({
    demandId: z.string(),
    status: PositionStatusSchema,
    since: z.iso.datetime().nullable().meta({ description: 'When the current status was recorded' }),
    history: z.array(PositionEntrySchema).meta({ description: 'Oldest first' }),
  })
  .meta({ id: 'TargetPosition' });
export type TargetPosition = z.infer<typeof TargetPositionSchema>;

export const DELIVERY_CHANNELS = ['in_person', 'email', 'post', 'courier', 'other'] as const;
export const DeliveryChannelSchema = z.enum(DELIVERY_CHANNELS).meta({ id: 'DeliveryChannel' });
export type DeliveryChannel = z.infer<typeof DeliveryChannelSchema>;

export const DeliverySchema = z
  .object({
    deliveredOn: z.iso.date().meta({ description: 'Calendar date in Africa/Nairobi' }),
    channel: DeliveryChannelSchema,
    signatures: z.number().int().min(0),
    manifestSha256: z.string().regex(/^[0-9a-f]{64}$/).meta({ description: "SHA-256 of the pack's manifest.json (hex)" }),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'Delivery', description: 'A signature pack delivered to the duty bearer: the campaign asking, with the count and hash as evidence' });
export type Delivery = z.infer<typeof DeliverySchema>;

export const AccountabilityTargetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    office: z.string().nullable(),
    institution: z.string().nullable(),
    ...targetSwFields,
    jurisdiction: JurisdictionSchema,
    publicContact: z.string().nullable(),
    askedOn: z.iso.date().nullable(),
    dueOn: z.iso.date().nullable(),
    overdue: z.boolean().meta({ description: 'Asked, past the due date, and no response on any asked demand' }),
    daysOverdue: z.number().int().min(0).nullable(),
    positions: z.array(TargetPositionSchema).meta({ description: "One per campaign demand, in the demands' order" }),
    // Optional so that clients written against older servers stay valid; this API always sends both.
    deliveries: z.array(DeliverySchema).optional().meta({ description: 'Packs delivered to this duty bearer, oldest first' }),
    contactAvailable: z
      .boolean()
      .optional()
      .meta({ description: 'Whether the campaign has any contact to deliver to; false: "not asked — no contact available"' }),
  })
  .meta({ id: 'AccountabilityTarget' });
export type AccountabilityTarget = z.infer<typeof AccountabilityTargetSchema>;


export const AccountabilitySummarySchema = z
  .object({
    targets: z.number().int().min(0),
    asked: z.number().int().min(0).meta({ description: 'Targets asked for at least one demand' }),
    responded: z.number().int().min(0).meta({ description: 'Targets with any response (acknowledged or further)' }),
    committed: z.number().int().min(0).meta({ description: 'Targets committed to (or delivered) at least one demand' }),
    delivered: z.number().int().min(0).meta({ description: 'Targets that delivered at least one demand' }),
    declined: z.number().int().min(0).meta({ description: 'Targets that declined at least one demand' }),
    broken: z.number().int().min(0).meta({ description: 'Targets that broke at least one commitment' }),
    overdue: z.number().int().min(0),
  })
  .meta({ id: 'AccountabilitySummary', description: 'Counts of targets, e.g. "3 of 5 committed · 1 delivered · 2 overdue"' });
export type AccountabilitySummary = z.infer<typeof AccountabilitySummarySchema>;

export const AccountabilitySchema = z
  .object({
    campaign: SlugSchema,
    title: LocalizedTextSchema,
    demands: z.array(DemandSchema),
    targets: z.array(AccountabilityTargetSchema),
    summary: AccountabilitySummarySchema,
    signatures: z.number().int().min(0),
    milestones: z.array(MilestoneSchema),
    updatedAt: z.iso.datetime(),
    signingKeyId: z
      .string()
      .optional()
      .meta({ description: "Key id of the organisation's Ed25519 key that signs its delivery packs (GET /v1/signing-keys); absent while packs are unsigned" }),
    pledges: z.array(BoardPledgeSchema).optional().meta({ description: "A pledge campaign's actions with their figures (pledged, reminded, kept), beside the duty bearers' commitments" }),
  })
  .meta({ id: 'Accountability' });
export type Accountability = z.infer<typeof AccountabilitySchema>;
