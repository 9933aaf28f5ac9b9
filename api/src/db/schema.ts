/**
 * Database schema (drizzle, SQLite/libSQL dialect). Migrations in `api/drizzle/` are generated from this
 * file with `pnpm --filter @imlu/api db:generate` and committed.
 *
 * Times are integer milliseconds since the epoch (UTC). Personal data (name, e-mail, phone, comment) is
 * stored only as AES-256-GCM envelopes (`src/signing/crypto.ts`); dedupe and idempotency use keyed HMACs,
 * so a copy of this database without the keys reveals neither who signed nor how to recognise them.
 */
import { sql } from 'drizzle-orm';
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    kind: text('kind', { enum: ['petition', 'pledge'] }).notNull(),
    titleEn: text('title_en').notNull(),
    titleSw: text('title_sw').notNull(),
    summaryEn: text('summary_en').notNull(),
    summarySw: text('summary_sw').notNull(),
    bodyEn: text('body_en').notNull(),
    bodySw: text('body_sw').notNull(),
    goal: integer('goal'),
    status: text('status', { enum: ['draft', 'open', 'closed'] }).notNull().default('draft'),
    opensAt: integer('opens_at'),
    closesAt: integer('closes_at'),
    /**
     * How a signer confirms: `none` (counted at once), `email` (a link by e-mail), `sms` (a code by SMS) or
     * `either` (e-mail when given, else SMS). Anything but `none` keeps a signature `pending` until
     * confirmed. Replaces the boolean `requires_verification` (true became `either`, migration 0003).
     */
    verification: text('verification', { enum: ['none', 'email', 'sms', 'either'] }).notNull().default('either'),
    /** Version of the consent wording shown to signers; copied onto every signature. */
    consentVersion: text('consent_version').notNull(),
    /** Proof-of-work asked of the widget's signers: `none` or `altcha` (`src/abuse/altcha.ts`). */
    challenge: text('challenge', { enum: ['none', 'altcha'] }).notNull().default('none'),
    /**
     * This campaign's soft rate limits (JSON, a partial `RateLimits`: e.g. `{"ipBurst":3}`), over the
     * server's defaults; null = the defaults. A campaign expecting signers behind one shared address (a
     * university, an event's Wi-Fi) raises its per-IP limits here.
     */
    rateLimits: text('rate_limits', { mode: 'json' }).$type<Record<string, number | null>>(),
    /**
     * How many different names may sign from one phone number (a family phone), each confirmed with its own
     * code. Only confirmed names take a place; one more confirmed name is held for review (flag `suspect`,
     * reason `household`). 1 = one signature per phone number.
     */
    phoneHousehold: integer('phone_household').notNull().default(2),
    /**
     * Days after the campaign ended (closed, or past its closing date) that signers' personal data is kept;
     * then it is deleted (`src/retention/retention.ts`) and only the totals remain. Default 180.
     */
    retentionDays: integer('retention_days').notNull().default(180),
    /** When the campaign's status last became `closed` (null while open or a draft). */
    closedAt: integer('closed_at'),
    /** When retention deleted its signers' personal data (null before). Counts and the board remain. */
    anonymisedAt: integer('anonymised_at'),
    /**
     * Updates to supporters (JSON, `UpdateSettings` in `src/updates/settings.ts`): which events send a message
     * to signers who opted in (`position`, `milestone`, `closed`) and where the message links to. Null = none.
     */
    updates: text('updates', { mode: 'json' }).$type<{ events: string[]; link?: string | null }>(),
    /** Who sends the delivery pack, named on its cover: the organisation, and how an official reaches it. */
    senderOrganisation: text('sender_organisation'),
    senderContact: text('sender_contact'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('campaigns_slug_unique').on(t.slug),
    check('campaigns_kind_check', sql`${t.kind} IN ('petition', 'pledge')`),
    check('campaigns_status_check', sql`${t.status} IN ('draft', 'open', 'closed')`),
    check('campaigns_goal_check', sql`${t.goal} IS NULL OR ${t.goal} >= 0`),
  ],
);

export const demands = sqliteTable(
  'demands',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /** 1-based order in which the demands are shown. */
    position: integer('position').notNull(),
    textEn: text('text_en').notNull(),
    textSw: text('text_sw').notNull(),
  },
  (t) => [uniqueIndex('demands_campaign_position_unique').on(t.campaignId, t.position)],
);

/**
 * What a pledge campaign asks its supporters to do (issue 16): attend a hearing, join a vigil, call an
 * assembly member. Matched by position on apply, like demands, so an action's id stays the same when its
 * wording is edited. Only `kind = 'pledge'` campaigns have them.
 */
export const pledgeActions = sqliteTable(
  'pledge_actions',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /** 1-based order in which the actions are shown. */
    position: integer('position').notNull(),
    titleEn: text('title_en').notNull(),
    titleSw: text('title_sw').notNull(),
    /** Where, in words (a court, a clinic, "online"); null when the action has no place. */
    placeEn: text('place_en'),
    placeSw: text('place_sw'),
    /** ISO 3166-2:KE county code where it happens, or null. */
    county: text('county'),
    /** When it starts (ms), or null for an action without a date (e.g. "share the petition with ten people"). */
    startsAt: integer('starts_at'),
    /** Places available, or null for no limit. */
    capacity: integer('capacity'),
  },
  (t) => [uniqueIndex('pledge_actions_campaign_position_unique').on(t.campaignId, t.position)],
);

/**
 * A supporter's pledge of one action (issue 16), made with their signature through the one signing path
 * and stored in the same transaction, only if the signature itself was stored (a duplicate adds nothing).
 * It counts while its signature counts (status `counted`, no flag), like the signature itself.
 *
 * `state`: `pledged`, `cant` (the supporter said they cannot make it: the place is freed), or `done` (they
 * reported it done). `kept_at` is set once, by whichever comes first — the supporter's "done" or a
 * campaigner's attendance record (`kept_by`: `signer` or `attendance`) — so a person is kept once. No
 * personal data: the person is the signature. Deleted with the signature (erasure, retention); the
 * figures in `pledge_action_counts` are kept by triggers on updates only, so retention leaves them final.
 */
export const pledgeCommitments = sqliteTable(
  'pledge_commitments',
  {
    signatureId: text('signature_id')
      .notNull()
      .references(() => signatures.id, { onDelete: 'cascade' }),
    actionId: text('action_id')
      .notNull()
      .references(() => pledgeActions.id, { onDelete: 'cascade' }),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ['pledged', 'cant', 'done'] }).notNull().default('pledged'),
    /** When `state` last changed (ms), or null while it is the first `pledged`. */
    stateAt: integer('state_at'),
    /** The supporter asked to be reminded (the day before and on the day of a dated action). */
    remind: integer('remind', { mode: 'boolean' }).notNull().default(false),
    /** When the reminder of the day before, and of the day, was queued in the outbox (once each). */
    remindedBeforeAt: integer('reminded_before_at'),
    remindedDayAt: integer('reminded_day_at'),
    /** When it was first kept, and how: `signer` ("done") or `attendance` (a campaigner's record). */
    keptAt: integer('kept_at'),
    keptBy: text('kept_by', { enum: ['signer', 'attendance'] }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.signatureId, t.actionId] }),
    index('pledge_commitments_action_idx').on(t.actionId, t.state),
    index('pledge_commitments_campaign_idx').on(t.campaignId),
    check('pledge_commitments_state_check', sql`${t.state} IN ('pledged', 'cant', 'done')`),
  ],
);

/**
 * Public figures per pledge action, kept by triggers from `pledge_commitments` and the signatures' status
 * (`src/db/sql/triggers/pledge_*.sql`), never by COUNT on a request: pledged (live, not `cant`), reminded,
 * kept, cant. Like `campaign_counts`, they survive retention.
 */
export const pledgeActionCounts = sqliteTable('pledge_action_counts', {
  actionId: text('action_id')
    .primaryKey()
    .references(() => pledgeActions.id, { onDelete: 'cascade' }),
  campaignId: text('campaign_id')
    .notNull()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  pledged: integer('pledged').notNull().default(0),
  reminded: integer('reminded').notNull().default(0),
  kept: integer('kept').notNull().default(0),
  cant: integer('cant').notNull().default(0),
  version: integer('version').notNull().default(1),
  updatedAt: integer('updated_at').notNull(),
});

export const signatures = sqliteTable(
  'signatures',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['counted', 'pending'] }).notNull(),
    /** How this signature is to be confirmed (`email`, `sms`), or null when its campaign needs none. */
    confirmChannel: text('confirm_channel', { enum: ['email', 'sms'] }),
    /** Confirmation messages queued for it so far (first send and re-sends on duplicates; at most 3). */
    confirmationSends: integer('confirmation_sends').notNull().default(0),
    /** When the signer confirmed (status became `counted`); null otherwise. */
    confirmedAt: integer('confirmed_at'),
    /** Unused since migration 0012: SMS code tries are counted in `code_attempts`, per version. */
    confirmAttempts: integer('confirm_attempts').notNull().default(0),
    /**
     * `suspect` when the signature came over a rate limit (decided in SQL by the intake trigger,
     * `src/db/sql/triggers/signature_intake_insert.sql`): stored, never counted, never sent a message; the signer's answer does not show it. `invalid`
     * when a moderator invalidated it (`src/moderation/moderation.ts`): never counted either. `withdrawn`
     * when the signer withdrew it (`/me`, or `imlu signer withdraw` on their request; `src/signer/records.ts`):
     * its status goes back to `pending`, so it binds nothing and a new signature replaces it. The values are
     * checked here only, not by SQL: adding one needs no migration.
     */
    flag: text('flag', { enum: ['suspect', 'invalid', 'withdrawn'] }),
    /** Why a signature is flagged, where it is not a rate limit or bot friction: `household` (see campaigns); for `withdrawn`, `signer` or `request` (a campaigner acting on one). */
    flagReason: text('flag_reason'),
    /**
     * The later submission for the same contact that replaced this unconfirmed one (migration 0012): until a
     * signature is confirmed, the owner of a contact decides, so a new submission replaces the details of an
     * unconfirmed one instead of being dropped as a duplicate. A superseded row is never counted, confirmed
     * or sent a message; it is kept for review.
     */
    supersededBy: text('superseded_by'),
    supersededAt: integer('superseded_at'),
    /**
     * Keyed HMAC of the E.164 phone number (per campaign), to count the confirmed names of one family phone.
     * The dedupe key of a phone is per phone AND name (`signature_dedupe`, kind `phone`).
     */
    phoneHash: blob('phone_hash', { mode: 'buffer' }),
    /** Generation of the SMS code: a new code on request makes the old one useless (`src/confirm/token.ts`). */
    codeGen: integer('code_gen').notNull().default(0),
    /** HMAC of the source IP address (per campaign, keyed): the IP itself is never stored. */
    sourceHash: blob('source_hash', { mode: 'buffer' }),
    /**
     * HMAC (per campaign, keyed) of the signer's contact group, for per-group limits: the e-mail domain,
     * or for a phone-only signature its number block (the E.164 number without its last 4 digits), which
     * catches floods of sequential numbers (SMS pumping).
     */
    domainHash: blob('domain_hash', { mode: 'buffer' }),
    /** Encrypted envelopes (`v1.<iv>.<tag>.<ciphertext>`), AAD bound to campaign and column. */
    nameEnc: text('name_enc').notNull(),
    emailEnc: text('email_enc'),
    phoneEnc: text('phone_enc'),
    commentEnc: text('comment_enc'),
    /** ISO 3166-2:KE county code; coarse enough to publish as an aggregate. */
    county: text('county'),
    locale: text('locale'),
    consentTerms: integer('consent_terms', { mode: 'boolean' }).notNull(),
    consentPublicName: integer('consent_public_name', { mode: 'boolean' }).notNull(),
    consentShareWithTargets: integer('consent_share_with_targets', { mode: 'boolean' }).notNull(),
    consentUpdates: integer('consent_updates', { mode: 'boolean' }).notNull(),
    consentVersion: text('consent_version').notNull(),
    consentAt: integer('consent_at').notNull(),
    /** Partner origin from the `Origin` header (null for server-to-server requests). */
    origin: text('origin'),
    /** Free-form `source` from the request body (a partner's campaign tag), never a URL with query. */
    sourceRef: text('source_ref'),
    createdAt: integer('created_at').notNull(),
    /**
     * When a campaigner struck this row out of deliveries (`imlu strike`, e.g. a signer asked to be left
     * out of the pack for officials). Struck rows still count (the signer did sign) but are never exported.
     */
    struckAt: integer('struck_at'),
    /** Why, in the campaigner's words (a reason code, never personal data); and who (`cli:<user>` or a token). */
    struckReason: text('struck_reason'),
    struckBy: text('struck_by'),
  },
  (t) => [
    index('signatures_campaign_created_idx').on(t.campaignId, t.createdAt),
    // No index by source: the soft limits count `signing_attempts` (migration 0014), and an index nobody
    // reads costs every signature a write (dropped in migration 0018). By domain: moderation invalidates by it.
    index('signatures_domain_idx').on(t.campaignId, t.domainHash, t.createdAt),
    // Only counted rows: the family-phone limit counts those, and pending signatures skip the index's cost.
    index('signatures_phone_idx').on(t.campaignId, t.phoneHash).where(sql`${t.status} = 'counted' and ${t.flag} is null`),
    index('signatures_superseded_idx').on(t.supersededBy).where(sql`${t.supersededBy} IS NOT NULL`),
    check('signatures_status_check', sql`${t.status} IN ('counted', 'pending')`),
    check('signatures_contact_check', sql`${t.emailEnc} IS NOT NULL OR ${t.phoneEnc} IS NOT NULL`),
  ],
);

/**
 * Blind index for duplicate detection: one row per contact (canonical e-mail, E.164 phone) of a signature,
 * keyed by HMAC-SHA256(BLIND_INDEX_KEY, "<kind>:<campaign id>:<value>"). The primary key makes a contact
 * unique per campaign, and including the campaign in the HMAC keeps signers unlinkable across campaigns.
 */
export const signatureDedupe = sqliteTable(
  'signature_dedupe',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    keyHmac: blob('key_hmac', { mode: 'buffer' }).notNull(),
    kind: text('kind', { enum: ['email', 'phone'] }).notNull(),
    signatureId: text('signature_id')
      .notNull()
      .references(() => signatures.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.keyHmac] }),
    index('signature_dedupe_signature_idx').on(t.signatureId),
  ],
);

/**
 * Running totals, one row per campaign and bucket: bucket `total`, or an ISO county code. Updated only by
 * deltas computed in SQL from the rows a batch really inserted, so a request never runs COUNT(*).
 * `version` grows with every update so a reader can tell a newer row from an older one.
 */
export const campaignCounts = sqliteTable(
  'campaign_counts',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    bucket: text('bucket').notNull(),
    counted: integer('counted').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    /** Suspect signatures (over a rate limit): never part of the public counts, kept for moderation. */
    suspect: integer('suspect').notNull().default(0),
    version: integer('version').notNull().default(1),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.bucket] })],
);

/**
 * Stored responses for `Idempotency-Key`. The key and the request body are kept only as HMACs: the body
 * holds a name and a contact, and an unkeyed hash of such low-entropy data could be reversed by guessing.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    keyHmac: blob('key_hmac', { mode: 'buffer' }).notNull(),
    bodyHmac: blob('body_hmac', { mode: 'buffer' }).notNull(),
    status: integer('status').notNull(),
    response: text('response').notNull(),
    /**
     * The submission (attempted signature id) that created this record, so a later request with the same
     * key can tell "I stored this" from "I am a retry". Empty for records written before migration 0001.
     */
    submissionId: text('submission_id').notNull().default(''),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.keyHmac] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/**
 * The outbox: messages to send (confirmation e-mails and SMS), written in the SAME transaction as the
 * signature that needs them and sent later by the outbox worker (`src/outbox/worker.ts`) with retries, so
 * a provider outage never fails or slows signing and a crash loses nothing committed.
 *
 * `payload` is JSON holding what the sender needs: the recipient only as the signature's AES-GCM envelope
 * (never in clear) and the locale. Once a message is sent or given up, the payload is emptied.
 * `status`: `pending` (due at `next_attempt_at`), `sending` (claimed by a worker until `locked_until`; a
 * worker that died mid-send leaves it to be reclaimed after that), `sent`, `skipped` (nothing left to
 * send, e.g. already confirmed), `stalled` (a confirmation whose retries ran out on temporary errors: sent
 * again once its provider is back, `src/outbox/stalled.ts`), `failed` (gave up).
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['confirm-email', 'confirm-sms', 'webhook', 'manage-email', 'manage-sms', 'update-email', 'update-sms', 'delivery-email', 'staff-email', 'pledge-reminder-email', 'pledge-reminder-sms'] }).notNull(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    signatureId: text('signature_id').references(() => signatures.id, { onDelete: 'cascade' }),
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'skipped', 'stalled', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lockedUntil: integer('locked_until'),
    /** Error class or provider code of the last failure; never a message text (it can quote an address). */
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /** The provider's id for a sent message (Africa's Talking `messageId`), to match delivery reports. */
    providerRef: text('provider_ref'),
    /**
     * For confirmation messages: the keyed HMAC of the contact written to (the e-mail's dedupe key or the
     * phone's `phone_hash`), so that messages to one contact are capped per day across every version of
     * its signature — a stranger cannot use the campaign to flood someone's phone.
     */
    contactHmac: blob('contact_hmac', { mode: 'buffer' }),
    /**
     * For updates to supporters (`update-email`, `update-sms`): the event this message tells of. One message
     * per event and signature, and per event and contact (a family phone gets one), enforced by the unique
     * indexes below, so a fan-out that runs a page twice (a crash, two nodes) queues nothing twice.
     */
    updateEventId: text('update_event_id').references(() => updateEvents.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    // Each worker claims its own kinds: a million queued updates must not sit in front of a confirmation.
    index('outbox_kind_due_idx').on(t.kind, t.status, t.nextAttemptAt),
    // The lease sweep (`status = 'sending' AND locked_until <= ?`) reads only expired leases, not every message in flight.
    index('outbox_kind_lease_idx').on(t.kind, t.status, t.lockedUntil),
    index('outbox_contact_idx').on(t.campaignId, t.contactHmac, t.createdAt),
    index('outbox_signature_idx').on(t.signatureId),
    index('outbox_provider_ref_idx').on(t.providerRef),
    uniqueIndex('outbox_update_signature_unique').on(t.updateEventId, t.signatureId).where(sql`${t.updateEventId} IS NOT NULL`),
    uniqueIndex('outbox_update_contact_unique').on(t.updateEventId, t.contactHmac).where(sql`${t.updateEventId} IS NOT NULL`),
  ],
);

/**
 * Updates to supporters (issue 11): one row per event that signers who opted in are told about — a duty
 * bearer's position changed (`position`), a milestone was reached (`milestone`), the campaign closed
 * (`closed`). Written in the same transaction as the change itself, so none is lost or made twice; `key`
 * makes each unique per campaign (`position:<entry id>`, `milestone:<id>`, `closed`). The fan-out
 * (`src/updates/fanout.ts`) pages through the campaign's signatures from `cursor_at`/`cursor_rowid` and
 * queues outbox messages in batches. `data` holds what the message says (a target's name and new status,
 * a milestone's threshold and label): public facts, never personal data.
 */
export const updateEvents = sqliteTable(
  'update_events',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['position', 'milestone', 'closed'] }).notNull(),
    key: text('key').notNull(),
    data: text('data').notNull().default('{}'),
    /** `fanning` until every signature up to `created_at` was considered, then `done`. */
    status: text('status', { enum: ['fanning', 'done'] }).notNull().default('fanning'),
    /** The last signature considered, by (`created_at`, rowid): the fan-out's place, kept across restarts. */
    cursorAt: integer('cursor_at').notNull().default(0),
    cursorRowid: integer('cursor_rowid').notNull().default(0),
    /** Live signatures with the `updates` consent seen so far; of them, messages queued. The rest were throttled. */
    eligible: integer('eligible').notNull().default(0),
    queued: integer('queued').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    doneAt: integer('done_at'),
  },
  (t) => [
    uniqueIndex('update_events_campaign_key_unique').on(t.campaignId, t.key),
    index('update_events_status_idx').on(t.status, t.createdAt),
    check('update_events_kind_check', sql`${t.kind} IN ('position', 'milestone', 'closed')`),
  ],
);

// ---------------------------------------------------------------------------------------------------
// Accountability (issue 5). Targets (duty bearers) exist on their own and are asked by campaigns; a
// position is the latest of an append-only series of entries per (campaign, target, demand).

/**
 * A duty bearer: an office holder or institution a campaign addresses. Independent of campaigns, so the
 * same Inspector-General can be asked by several campaigns. `delivery_contact_enc` is where the campaign
 * delivers petitions (a named officer's e-mail or phone): encrypted like a signer's contact, with the
 * target id as AAD, write-only through the API and never in any public answer or log.
 */
export const targets = sqliteTable(
  'targets',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    office: text('office'),
    institution: text('institution'),
    /** Kiswahili forms of name, office and institution, when they differ; null = show the English one. */
    nameSw: text('name_sw'),
    officeSw: text('office_sw'),
    institutionSw: text('institution_sw'),
    jurisdictionLevel: text('jurisdiction_level', { enum: ['national', 'county'] }).notNull(),
    /** ISO 3166-2:KE code when the level is `county`, else null. */
    county: text('county'),
    /** Open Civic Data division id, when known. */
    ocdId: text('ocd_id'),
    /** A public contact (an office's published address or web form), shown on the accountability board. */
    publicContact: text('public_contact'),
    deliveryContactEnc: text('delivery_contact_enc'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('targets_level_check', sql`${t.jurisdictionLevel} IN ('national', 'county')`),
    check(
      'targets_county_check',
      sql`(${t.jurisdictionLevel} = 'county' AND ${t.county} IS NOT NULL) OR (${t.jurisdictionLevel} = 'national' AND ${t.county} IS NULL)`,
    ),
  ],
);

/**
 * A campaign asking a target: which of its demands (`campaign_ask_demands`), when it asked and by when it
 * expects an answer. Dates are calendar dates (`YYYY-MM-DD`) in Africa/Nairobi time. One ask per
 * campaign and target; editing it changes dates or demands, never the positions already recorded.
 */
export const campaignAsks = sqliteTable(
  'campaign_asks',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    targetId: text('target_id')
      .notNull()
      .references(() => targets.id),
    askedOn: text('asked_on').notNull(),
    dueOn: text('due_on'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('campaign_asks_campaign_target_unique').on(t.campaignId, t.targetId),
    check('campaign_asks_dates_check', sql`${t.dueOn} IS NULL OR ${t.dueOn} >= ${t.askedOn}`),
  ],
);

/** The demands an ask covers. A demand of the campaign not listed here is `not_asked` of that target. */
export const campaignAskDemands = sqliteTable(
  'campaign_ask_demands',
  {
    askId: text('ask_id')
      .notNull()
      .references(() => campaignAsks.id, { onDelete: 'cascade' }),
    demandId: text('demand_id')
      .notNull()
      .references(() => demands.id),
  },
  (t) => [primaryKey({ columns: [t.askId, t.demandId] })],
);

/**
 * Position entries: APPEND-ONLY. Triggers (migration `accountability`) abort any UPDATE or DELETE, and no
 * route edits or deletes one; a correction is a new entry. The current position of a target on a demand
 * is its latest entry (by `recorded_at`, then `seq`). `recorded_by` says whose word it is: `duty_bearer`
 * (through a response link, `actor` = `response-link:<link id>`) or `campaign` (`actor` names the admin
 * token). No foreign key cascades here: deleting what an entry refers to fails instead of erasing history.
 */
export const positionEntries = sqliteTable(
  'position_entries',
  {
    /** Insertion order, the tie-breaker between entries recorded in the same millisecond. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    targetId: text('target_id')
      .notNull()
      .references(() => targets.id),
    demandId: text('demand_id')
      .notNull()
      .references(() => demands.id),
    status: text('status', { enum: ['acknowledged', 'committed', 'declined', 'delivered', 'broken'] }).notNull(),
    statement: text('statement'),
    /** The statement in Kiswahili; null = show `statement`. Either may be null alone. */
    statementSw: text('statement_sw'),
    evidenceUrl: text('evidence_url'),
    recordedBy: text('recorded_by', { enum: ['duty_bearer', 'campaign'] }).notNull(),
    actor: text('actor').notNull(),
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [
    uniqueIndex('position_entries_id_unique').on(t.id),
    index('position_entries_campaign_idx').on(t.campaignId, t.targetId, t.demandId, t.recordedAt),
    check('position_entries_status_check', sql`${t.status} IN ('acknowledged', 'committed', 'declined', 'delivered', 'broken')`),
    check('position_entries_recorded_by_check', sql`${t.recordedBy} IN ('duty_bearer', 'campaign')`),
    check(
      'position_entries_evidence_check',
      sql`${t.evidenceUrl} IS NULL OR ${t.evidenceUrl} LIKE 'https://%' OR ${t.evidenceUrl} LIKE 'http://%'`,
    ),
  ],
);

/**
 * Deliveries: a signature pack handed to a target (date, channel, count, the SHA-256 of its
 * `manifest.json`, the same hash as the export's audit subject `manifest:<hex>`). APPEND-ONLY like
 * position entries (triggers in migration `deliveries`): the public history shows each as the campaign
 * asking that target, with the count and hash as its evidence. `emailed` says whether the cover and a
 * response link were queued to the target's contact; never the address itself.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    targetId: text('target_id')
      .notNull()
      .references(() => targets.id),
    /** Calendar date in Africa/Nairobi, `YYYY-MM-DD`. */
    deliveredOn: text('delivered_on').notNull(),
    channel: text('channel', { enum: ['in_person', 'email', 'post', 'courier', 'other'] }).notNull(),
    signatures: integer('signatures').notNull(),
    manifestSha256: text('manifest_sha256').notNull(),
    emailed: integer('emailed', { mode: 'boolean' }).notNull(),
    actor: text('actor').notNull(),
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [
    uniqueIndex('deliveries_id_unique').on(t.id),
    index('deliveries_campaign_idx').on(t.campaignId, t.targetId, t.recordedAt),
    check('deliveries_channel_check', sql`${t.channel} IN ('in_person', 'email', 'post', 'courier', 'other')`),
    check('deliveries_signatures_check', sql`${t.signatures} >= 0`),
    check('deliveries_hash_check', sql`length(${t.manifestSha256}) = 64 AND ${t.manifestSha256} NOT GLOB '*[^0-9a-f]*'`),
  ],
);

/**
 * Response links: `/r/<token>` lets one target record its own position for one campaign until the link
 * expires or is revoked. Only the SHA-256 of the token is stored (the token has 256 random bits, so an
 * unkeyed hash is enough and a database copy cannot be turned back into working links).
 */
export const responseLinks = sqliteTable(
  'response_links',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    targetId: text('target_id')
      .notNull()
      .references(() => targets.id),
    tokenHash: blob('token_hash', { mode: 'buffer' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    /** When the target last submitted through it; null if never. */
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [uniqueIndex('response_links_token_unique').on(t.tokenHash), index('response_links_campaign_idx').on(t.campaignId)],
);

/**
 * Milestones on a campaign's counted total. `reached_at` is set once, when the total first reaches the
 * threshold (the count row's update time), or when a milestone is added below the current total (then it
 * is the time it was added, as the API documentation says).
 */
export const milestones = sqliteTable(
  'milestones',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    threshold: integer('threshold').notNull(),
    labelEn: text('label_en').notNull(),
    labelSw: text('label_sw').notNull(),
    /**
     * A step due towards a duty bearer once the milestone is reached: both or neither (the admin route's
     * schema says so; a CHECK would mean rebuilding this table in SQLite).
     */
    targetId: text('target_id').references(() => targets.id),
    step: text('step', { enum: ['deliver', 'ask_response'] }),
    reachedAt: integer('reached_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('milestones_campaign_threshold_unique').on(t.campaignId, t.threshold),
    check('milestones_threshold_check', sql`${t.threshold} >= 1`),
  ],
);

/**
 * Facts about this database instance. `key_fingerprint` records which keys wrote it, so a server started
 * with different keys refuses to run instead of silently writing data that breaks dedupe.
 */
export const instanceMeta = sqliteTable('instance_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Spent ALTCHA solutions: each challenge (by its HMAC signature) is accepted once. `key_hmac` is the keyed
 * hash of the Idempotency-Key that spent it, so a retry of the same submission is not mistaken for a
 * replay. Rows are deleted after `expires_at` (the challenge is refused as expired by then anyway).
 */
export const altchaSpent = sqliteTable(
  'altcha_spent',
  {
    challengeHash: blob('challenge_hash', { mode: 'buffer' }).primaryKey(),
    keyHmac: blob('key_hmac', { mode: 'buffer' }),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('altcha_spent_expires_idx').on(t.expiresAt)],
);

/**
 * Every signing attempt, stored or not, for the per-source and per-domain soft limits (migration 0014): the
 * keyed hashes of its source IP and its e-mail domain or number block, and its time. The limits count these,
 * not stored signatures, so a duplicate counts exactly like a new signature — otherwise whether a
 * stranger's next signature from the same address is flagged would tell them whether a number had signed.
 * Nothing personal: keyed hashes per campaign and a time. Rows go after an hour (`pruneSigningAttempts`).
 */
export const signingAttempts = sqliteTable(
  'signing_attempts',
  {
    campaignId: text('campaign_id').notNull(),
    sourceHash: blob('source_hash', { mode: 'buffer' }),
    domainHash: blob('domain_hash', { mode: 'buffer' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('signing_attempts_source_idx').on(t.campaignId, t.sourceHash, t.createdAt),
    index('signing_attempts_domain_idx').on(t.campaignId, t.domainHash, t.createdAt),
    index('signing_attempts_created_idx').on(t.createdAt),
  ],
);

/**
 * SMS codes tried per signature version, right or wrong (at most 5 per code). Kept apart from `signatures`
 * on purpose, with no foreign key: a handle may name a version that was never stored (its submission was a
 * duplicate), and tries on it must be counted and answered exactly alike, or the answers would tell a
 * stranger whether the contact had already signed. Rows go after a week (`pruneCodeAttempts`).
 */
export const codeAttempts = sqliteTable('code_attempts', {
  signatureId: text('signature_id').primaryKey(),
  /** Codes tried since the last new code. */
  attempts: integer('attempts').notNull(),
  /** New codes asked for (each lets 5 more be tried); at most 5. */
  resends: integer('resends').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [
  // The hourly sweep deletes by age, a chunk at a time: by index, not by reading every row.
  index('code_attempts_updated_idx').on(t.updatedAt),
]);

/**
 * Campaigner (admin) API tokens. The token itself (`imlu_at_<43 base64url chars>`) is shown once at
 * creation and stored only as its SHA-256: a copy of the database does not let anyone call the API.
 * `scopes` is a JSON array of `Scope`s (src/auth/scopes.ts).
 */
export const adminTokens = sqliteTable(
  'admin_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    tokenHash: blob('token_hash', { mode: 'buffer' }).notNull(),
    scopes: text('scopes').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Actor that created it (`cli:<os user>`, `token:<id>`, `bootstrap`). */
    createdBy: text('created_by').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('admin_tokens_hash_unique').on(t.tokenHash)],
);

/**
 * Append-only audit log of campaigner actions: who (`actor`), when, what (`action`), on which campaign and
 * subject, how many rows, and `details` (JSON: filters, counts — never personal data). Triggers in the
 * migration make UPDATE and DELETE fail, so the log cannot be rewritten through SQL by the application.
 * No foreign key to campaigns on purpose: the record of an export outlives the campaign it exported.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    /** `token:<id>`, `bootstrap` (ADMIN_TOKEN) or `cli:<os user>`. */
    actor: text('actor').notNull(),
    /** The token's name or the OS user, as it was at the time. */
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    campaignId: text('campaign_id'),
    subject: text('subject'),
    rowCount: integer('row_count'),
    details: text('details').notNull().default('{}'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_campaign_at_idx').on(t.campaignId, t.at)],
);

/**
 * Webhook endpoints per campaign. The signing secret is stored as an AES-GCM envelope (column
 * `webhook-secret`); `events` is a JSON array of event names. Deliveries go through the outbox.
 */
export const webhooks = sqliteTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    secretEnc: text('secret_enc').notNull(),
    events: text('events').notNull(),
    createdAt: integer('created_at').notNull(),
    disabledAt: integer('disabled_at'),
  },
  (t) => [index('webhooks_campaign_idx').on(t.campaignId)],
);

/**
 * The organisation's Ed25519 keys that sign export manifests (src/exports/signing-key.ts). `id` is a short
 * fingerprint of the public key; the private key (PKCS#8) is stored only as an AES-GCM envelope (column
 * `signing-key`). Creating a key retires the current one; retired keys stay, so packs they signed still
 * verify and their public keys stay published (`GET /v1/signing-keys`).
 */
export const signingKeys = sqliteTable('signing_keys', {
  id: text('id').primaryKey(),
  algorithm: text('algorithm').notNull(),
  /** SubjectPublicKeyInfo, DER, base64. */
  publicKey: text('public_key').notNull(),
  privateKeyEnc: text('private_key_enc').notNull(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  retiredAt: integer('retired_at'),
});

/**
 * A partner's read-only view of its own figures (`imlu partner-view create`): one origin of one campaign,
 * reached at `/v1/partner-stats/<token>`. Only the SHA-256 of the token is stored (256 random bits, so an
 * unkeyed hash is enough), like response links. `origin` is compared exactly with `signatures.origin`.
 */
export const partnerViews = sqliteTable(
  'partner_views',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    origin: text('origin').notNull(),
    /** Who it is for, in the campaigner's words ("Amnesty Kenya newsletter"); never personal data. */
    label: text('label'),
    tokenHash: blob('token_hash', { mode: 'buffer' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('partner_views_token_unique').on(t.tokenHash), index('partner_views_campaign_idx').on(t.campaignId)],
);

/**
 * Flood episodes (`src/moderation/flood-alerts.ts`): a source or e-mail domain with an unusual share of a
 * campaign's recent signatures, from the first check that saw it until it has been quiet for a whole window.
 * The partial unique index allows one open episode per source, so several servers alert once between them.
 */
export const floodAlerts = sqliteTable(
  'flood_alerts',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['source', 'domain'] }).notNull(),
    /** The keyed hash's first 12 hex digits, as `trendingSources` reports it: enough to invalidate by. */
    hashPrefix: text('hash_prefix').notNull(),
    /** Signatures and share of the campaign's signatures in the window when it was first seen. */
    signatures: integer('signatures').notNull(),
    share: integer('share_permille').notNull(),
    startedAt: integer('started_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [
    uniqueIndex('flood_alerts_open_unique').on(t.campaignId, t.kind, t.hashPrefix).where(sql`${t.endedAt} IS NULL`),
    index('flood_alerts_campaign_idx').on(t.campaignId, t.startedAt),
  ],
);

/**
 * Staff of the console (src/staff). The e-mail is an AES-GCM envelope (column `staff-email`, associated
 * data the staff id) found by its blind index (`staff-email`); the TOTP secret is an envelope too
 * (`staff-totp`). `totp_last_step` is the last TOTP time step accepted: a code is taken only for a later
 * step, so a code seen once (over a shoulder, in a phished page) cannot be used again.
 */
export const staff = sqliteTable(
  'staff',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    emailEnc: text('email_enc').notNull(),
    emailHash: blob('email_hash', { mode: 'buffer' }).notNull(),
    role: text('role', { enum: ['admin', 'campaigner', 'moderator', 'viewer'] }).notNull(),
    totpSecretEnc: text('totp_secret_enc').notNull(),
    totpLastStep: integer('totp_last_step').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [uniqueIndex('staff_email_hash_unique').on(t.emailHash)],
);

/** One-time sign-in links (15 minutes, single use). Only the SHA-256 of the link's token is stored. */
export const staffSignInLinks = sqliteTable(
  'staff_sign_in_links',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    tokenHash: blob('token_hash', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Wrong TOTP codes tried with this link; at the limit the link is spent. */
    failedCodes: integer('failed_codes').notNull().default(0),
    usedAt: integer('used_at'),
  },
  (t) => [uniqueIndex('staff_sign_in_links_hash_unique').on(t.tokenHash), index('staff_sign_in_links_staff_idx').on(t.staffId, t.createdAt)],
);

/** Console sessions. Only the SHA-256 of the cookie's value is stored; `id` names a session in lists and the CLI. */
export const staffSessions = sqliteTable(
  'staff_sessions',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    tokenHash: blob('token_hash', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    /** Absolute expiry: `created_at` + 12 h, however active the session. */
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('staff_sessions_hash_unique').on(t.tokenHash), index('staff_sessions_staff_idx').on(t.staffId)],
);

export const schema = {
  campaigns,
  demands,
  pledgeActions,
  signatures,
  signatureDedupe,
  campaignCounts,
  idempotencyKeys,
  outbox,
  instanceMeta,
  targets,
  campaignAsks,
  campaignAskDemands,
  positionEntries,
  deliveries,
  responseLinks,
  milestones,
  adminTokens,
  auditLog,
  webhooks,
  altchaSpent,
  codeAttempts,
  signingAttempts,
  updateEvents,
  signingKeys,
  partnerViews,
  floodAlerts,
  staff,
  staffSignInLinks,
  staffSessions,
};
