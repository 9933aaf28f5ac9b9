/**
 * The campaign a campaigner writes (a file for `imlu campaign apply`, a body for `POST/PUT
 * /admin/campaigns`), and applying it: create, or update in place by slug. Every apply is one
 * transaction with its audit entry.
 *
 * Demands are matched by position, so a demand's id stays the same when its wording is edited; demands
 * past the new list's end are removed. A pledge campaign's actions are matched the same way.
 */
import { and, eq, gt } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { CampaignKindSchema, CampaignStatusSchema, ChallengeModeSchema, CountyCodeSchema, SlugSchema, VerificationSchema } from '@imlu/contracts';
import { signingWindow } from '@imlu/contracts/accepting';
import { refuseRemovingDemandsInUse } from '../accountability/operations.ts';
import { fieldError, ProblemError } from '../http/problem.ts';
import { message } from '../i18n/index.ts';
import { auditInsert } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/client.ts';
import { campaigns, demands, pledgeActions } from '../db/schema.ts';
import { closedEventStatement } from '../updates/events.ts';
import { normaliseUpdateSettings, UpdateSettingsSchema } from '../updates/settings.ts';
import { campaignValues, pledgeActionValues, type NewCampaign } from './create.ts';

const text = (max: number) =>
  z.strictObject({ en: z.string().trim().min(1).max(max), sw: z.string().trim().min(1).max(max) }).meta({ description: 'English and Kiswahili' });

/** A soft limit: signatures per minute (`…Burst`) or per 5 minutes (`…Window`); null turns it off. */
const limit = z.number().int().min(1).max(1_000_000).nullable().optional();

export const CampaignInputSchema = z
  .strictObject({
    slug: SlugSchema,
    kind: CampaignKindSchema.default('petition'),
    status: CampaignStatusSchema.default('draft'),
    title: text(200),
    summary: text(1000),
    body: text(20_000),
    goal: z.number().int().min(0).nullable().default(null),
    opensAt: z.iso.datetime({ offset: true }).nullable().default(null),
    closesAt: z.iso.datetime({ offset: true }).nullable().default(null),
    verification: VerificationSchema.default('either'),
    challenge: ChallengeModeSchema.default('none').meta({ description: 'Proof of work asked of the widget\'s signers (`altcha`), or `none`' }),
    rateLimits: z
      .strictObject({ ipBurst: limit, ipWindow: limit, domainBurst: limit, domainWindow: limit })
      .nullable()
      .default(null)
      .meta({ description: "This campaign's soft rate limits over the server's (signatures per source IP / e-mail domain a minute and per 5 minutes); null: the server's" }),
    phoneHousehold: z.number().int().min(1).max(10).default(2).meta({
      description:
        'How many different names may sign from one phone number (in Kenya one phone often serves a family), each confirmed with its own code. ' +
        'Only confirmed names take a place; one more confirmed name is held for review. 1 = one signature per phone number.',
    }),
    retentionDays: z.number().int().min(1).max(3650).default(180).meta({
      description:
        'Days after the campaign ends (closed, or past closesAt) that signers\' personal data is kept; then it is deleted and only ' +
        'the totals, county counts, milestones and the accountability board remain.',
    }),
    updates: UpdateSettingsSchema.default({ events: [], link: null }).meta({
      description:
        'Updates to signers who opted in: which events send a short message (SMS or e-mail, in the signer\'s language), and where it links to. ' +
        'Default: no events. Preview the text with `imlu updates preview` or GET /admin/campaigns/{slug}/updates/preview.',
    }),
    consentVersion: z.string().trim().min(1).max(100),
    demands: z.array(text(2000)).max(50).default([]),
    actions: z
      .array(
        z.strictObject({
          title: text(200),
          place: text(200).nullable().default(null),
          county: CountyCodeSchema.nullable().default(null),
          startsAt: z.iso.datetime({ offset: true }).nullable().default(null),
          capacity: z.number().int().min(1).max(10_000_000).nullable().default(null),
        }),
      )
      .max(20)
      .default([])
      .meta({
        description:
          'For `kind: pledge`: what supporters pledge to do, in the order shown (attend a hearing, join a vigil…), each with an optional place, ' +
          'county, start and number of places. Matched by position on update, so an action keeps its id when its wording changes. A petition has none.',
      }),
    senderOrganisation: z.string().trim().min(1).max(200).nullable().default(null).meta({
      description: 'The organisation that delivers the petition, named as the sender on the PDF delivery pack\'s cover',
    }),
    senderContact: z.string().trim().min(1).max(300).nullable().default(null).meta({
      description: "How an official reaches the sender (an office address, e-mail or phone), printed on the pack's cover. Public on the pack: not a person's private number",
    }),
  })
  .refine((c) => !c.opensAt || !c.closesAt || Date.parse(c.opensAt) < Date.parse(c.closesAt), {
    path: ['closesAt'],
    message: 'closesAt must be after opensAt',
  })
  .refine((c) => c.kind === 'pledge' || c.actions.length === 0, {
    path: ['actions'],
    message: 'only a pledge campaign (kind: pledge) has actions',
  })
  .meta({ id: 'CampaignInput' });
export type CampaignInput = z.infer<typeof CampaignInputSchema>;

export function toNewCampaign(input: CampaignInput): NewCampaign {
  return {
    slug: input.slug,
    kind: input.kind,
    status: input.status,
    title: input.title,
    summary: input.summary,
    body: input.body,
    goal: input.goal,
    opensAt: input.opensAt ? Date.parse(input.opensAt) : null,
    closesAt: input.closesAt ? Date.parse(input.closesAt) : null,
    verification: input.verification,
    challenge: input.challenge,
    rateLimits: input.rateLimits,
    phoneHousehold: input.phoneHousehold,
    retentionDays: input.retentionDays,
    updates: input.updates,
    consentVersion: input.consentVersion,
    demands: input.demands,
    actions: input.actions.map((a) => ({ ...a, startsAt: a.startsAt === null ? null : Date.parse(a.startsAt) })),
    senderOrganisation: input.senderOrganisation,
    senderContact: input.senderContact,
  };
}

/** The stored campaign as the document `applyCampaign` takes (times as ISO strings), or undefined. */
export async function campaignDocument(db: Db, slug: string): Promise<CampaignInput | undefined> {
  const [row] = await db.orm.select().from(campaigns).where(eq(campaigns.slug, slug));
  if (!row) return undefined;
  const demandRows = await db.orm.select().from(demands).where(eq(demands.campaignId, row.id)).orderBy(demands.position);
  const actionRows = await db.orm.select().from(pledgeActions).where(eq(pledgeActions.campaignId, row.id)).orderBy(pledgeActions.position);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const both = (en: string | null, sw: string | null) => (en === null || sw === null ? null : { en, sw });
  return {
    slug: row.slug,
    kind: row.kind,
    status: row.status,
    title: { en: row.titleEn, sw: row.titleSw },
    summary: { en: row.summaryEn, sw: row.summarySw },
    body: { en: row.bodyEn, sw: row.bodySw },
    goal: row.goal,
    opensAt: iso(row.opensAt),
    closesAt: iso(row.closesAt),
    verification: row.verification,
    challenge: row.challenge,
    // Only the limits set: an absent one is the server's, a null one is off.
    rateLimits: row.rateLimits
      ? Object.fromEntries((['ipBurst', 'ipWindow', 'domainBurst', 'domainWindow'] as const).filter((key) => row.rateLimits![key] !== undefined).map((key) => [key, row.rateLimits![key]]))
      : null,
    phoneHousehold: row.phoneHousehold,
    retentionDays: row.retentionDays,
    updates: normaliseUpdateSettings(row.updates),
    consentVersion: row.consentVersion,
    demands: demandRows.map((d) => ({ en: d.textEn, sw: d.textSw })),
    actions: actionRows.map((a) => ({
      title: { en: a.titleEn, sw: a.titleSw },
      place: both(a.placeEn, a.placeSw),
      county: a.county as CampaignInput['actions'][number]['county'],
      startsAt: iso(a.startsAt),
      capacity: a.capacity,
    })),
    senderOrganisation: row.senderOrganisation,
    senderContact: row.senderContact,
  };
}

export interface ApplyResult {
  id: string;
  created: boolean;
  /** Top-level fields whose value changed (empty for a new campaign). */
  changed: string[];
}

/**
 * Creates the campaign, or updates the one with this slug; audited as `campaign.created`/`campaign.updated`.
 * `createOnly` refuses a slug in use (422 on `slug`): a new campaign never overwrites another.
 */
export async function applyCampaign(db: Db, input: CampaignInput, actor: Actor, now: number = Date.now(), options: { createOnly?: boolean } = {}): Promise<ApplyResult> {
  const values = toNewCampaign(input);
  const [existing] = await db.orm.select().from(campaigns).where(eq(campaigns.slug, input.slug));
  if (existing && options.createOnly) {
    throw slugTaken();
  }
  if (!existing) {
    const id = randomUUID();
    try {
      await insertCampaign(db, id, input, values, actor, now);
    } catch (error) {
      // Made by someone else between the read above and this insert (two staff, one slug, one moment): for a
      // create that is the slug taken; for an apply it is now an update of theirs, so apply again.
      if (!isSlugTaken(error)) throw error;
      if (options.createOnly) throw slugTaken();
      return applyCampaign(db, input, actor, now, options);
    }
    return { id, created: true, changed: [] };
  }
  const next = campaignValues(existing.id, values, now);
  const oldDemands = await db.orm.select().from(demands).where(eq(demands.campaignId, existing.id));
  const oldActions = await db.orm.select().from(pledgeActions).where(eq(pledgeActions.campaignId, existing.id));
  const newActions = values.actions ?? [];
  const changed = (['kind', 'titleEn', 'titleSw', 'summaryEn', 'summarySw', 'bodyEn', 'bodySw', 'goal', 'status', 'opensAt', 'closesAt', 'verification', 'challenge', 'phoneHousehold', 'retentionDays', 'consentVersion', 'senderOrganisation', 'senderContact'] as const).filter(
    (key) => existing[key] !== next[key],
  );
  const rateLimitsChanged = JSON.stringify(existing.rateLimits ?? null) !== JSON.stringify(next.rateLimits ?? null);
  const updatesChanged = JSON.stringify(normaliseUpdateSettings(existing.updates)) !== JSON.stringify(normaliseUpdateSettings(next.updates));
  const demandsChanged =
    oldDemands.length !== input.demands.length ||
    oldDemands.some((d) => d.textEn !== input.demands[d.position - 1]?.en || d.textSw !== input.demands[d.position - 1]?.sw);
  const actionsChanged =
    oldActions.length !== newActions.length ||
    oldActions.some((a) => {
      const n = newActions[a.position - 1];
      if (!n) return true;
      const { id: _new, ...next } = pledgeActionValues(a.campaignId, a.position, n);
      const { id: _old, ...old } = a;
      return (Object.keys(next) as (keyof typeof next)[]).some((key) => next[key] !== old[key]);
    });
  const fields = [
    ...changed.map(String),
    ...(rateLimitsChanged ? ['rateLimits'] : []),
    ...(updatesChanged ? ['updates'] : []),
    ...(demandsChanged ? ['demands'] : []),
    ...(actionsChanged ? ['actions'] : []),
  ];
  if (!fields.length) return { id: existing.id, created: false, changed: [] };
  if (existing.anonymisedAt !== null && signingWindow({ status: input.status, opensAt: values.opensAt ?? null, closesAt: values.closesAt ?? null }, now) !== 'closed') {
    throw new ProblemError('validation', {
      detail: "This campaign's signers' personal data was deleted under its retention period: it cannot take signatures again. Create a new campaign.",
      errors: [fieldError('status', 'invalid')],
    });
  }
  const { id: _id, createdAt: _createdAt, ...update } = next;
  // The moment of closing is kept from the first close: re-applying a closed campaign does not move it.
  update.closedAt = next.status !== 'closed' ? null : existing.status === 'closed' ? existing.closedAt : now;
  // A demand on the accountability board (asked of a target, or with positions) is never removed.
  await refuseRemovingDemandsInUse(db, oldDemands.filter((d) => d.position > input.demands.length).map((d) => d.id));
  // An action someone pledged is never removed (its pledges and figures would go with it): re-word it instead.
  await refuseRemovingPledgedActions(db, oldActions.filter((a) => a.position > newActions.length));
  // Closing tells the signers who opted in (when the campaign sends `closed` updates), in this transaction.
  const closing = existing.status !== 'closed' && next.status === 'closed' ? closedEventStatement(db.orm, existing.id, next.updates, now) : undefined;
  await db.orm.batch([
    db.orm.update(campaigns).set(update).where(eq(campaigns.id, existing.id)),
    ...(closing ? [closing] : []),
    ...input.demands.map((d, index) =>
      db.orm
        .insert(demands)
        .values({ id: randomUUID(), campaignId: existing.id, position: index + 1, textEn: d.en, textSw: d.sw })
        .onConflictDoUpdate({ target: [demands.campaignId, demands.position], set: { textEn: d.en, textSw: d.sw } }),
    ),
    db.orm.delete(demands).where(and(eq(demands.campaignId, existing.id), gt(demands.position, input.demands.length))),
    ...newActions.map((a, index) => {
      const { id: _actionId, ...set } = pledgeActionValues(existing.id, index + 1, a);
      return db.orm
        .insert(pledgeActions)
        .values(pledgeActionValues(existing.id, index + 1, a))
        .onConflictDoUpdate({ target: [pledgeActions.campaignId, pledgeActions.position], set });
    }),
    db.orm.delete(pledgeActions).where(and(eq(pledgeActions.campaignId, existing.id), gt(pledgeActions.position, newActions.length))),
    auditInsert(db.orm, { actor, action: 'campaign.updated', campaignId: existing.id, subject: input.slug, at: now, details: { fields } }),
  ]);
  return { id: existing.id, created: false, changed: fields };
}

async function refuseRemovingPledgedActions(db: Db, removed: readonly (typeof pledgeActions.$inferSelect)[]): Promise<void> {
  if (!removed.length) return;
  const pledged = await db.client.execute({
    sql: `SELECT a.position FROM pledge_actions a WHERE a.id IN (${removed.map(() => '?').join(', ')}) AND EXISTS (SELECT 1 FROM pledge_commitments c WHERE c.action_id = a.id) ORDER BY a.position`,
    args: removed.map((a) => a.id),
  });
  if (!pledged.rows.length) return;
  const positions = pledged.rows.map((row) => Number(row[0]));
  throw new ProblemError('validation', {
    localDetail: (locale) => message(locale, 'pledges.actionInUse', { position: positions.join(', ') }),
    errors: positions.map((position) => fieldError(`actions.${position - 1}`, 'invalid')),
  });
}

/** The campaign row, its demands and pledge actions, and its audit entry: one batch, all or nothing. */
async function insertCampaign(db: Db, id: string, input: CampaignInput, values: ReturnType<typeof toNewCampaign>, actor: Actor, now: number): Promise<void> {
  await db.orm.batch([
      db.orm.insert(campaigns).values(campaignValues(id, values, now)),
      ...input.demands.map((d, index) => db.orm.insert(demands).values({ id: randomUUID(), campaignId: id, position: index + 1, textEn: d.en, textSw: d.sw })),
      ...(values.actions ?? []).map((a, index) => db.orm.insert(pledgeActions).values(pledgeActionValues(id, index + 1, a))),
      auditInsert(db.orm, {
        actor,
        action: 'campaign.created',
        campaignId: id,
        subject: input.slug,
        at: now,
        details: { status: input.status, demands: input.demands.length, ...(input.actions.length ? { actions: input.actions.length } : {}) },
      }),
  ]);
}

const slugTaken = () => new ProblemError('validation', { errors: [fieldError('slug', 'invalid')], detail: 'A campaign with this slug exists already.' });

/** The unique index on `campaigns.slug` refused a row: another request made the campaign first. */
function isSlugTaken(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT') && /campaigns\.slug/.test(e.message)) return true;
  }
  return false;
}
