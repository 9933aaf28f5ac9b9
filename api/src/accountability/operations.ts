/**
 * The writes of the accountability board: targets, asks, position entries, milestones and demands. Each
 * returns what changed so the router can audit it and drop the cached board. Position entries are only
 * ever inserted (the table's triggers refuse anything else).
 */
import { randomUUID } from 'node:crypto';
import { countyByCode, type CountyCode } from '@imlu/contracts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { CampaignRecord } from '../campaigns/store.ts';
import type { Db } from '../db/client.ts';
import { campaignAskDemands, campaignAsks, campaigns, demands, milestones, positionEntries, targets } from '../db/schema.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { auditInsert, type AuditEntry } from '../audit/audit.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { positionEventStatement } from '../updates/events.ts';
import { webhookEventStatements } from '../webhooks/webhooks.ts';
import type { JurisdictionInput, RecordableStatus } from './schemas.ts';

type TargetRow = typeof targets.$inferSelect;

export interface TargetInput {
  name: string;
  office?: string | null | undefined;
  institution?: string | null | undefined;
  nameSw?: string | null | undefined;
  officeSw?: string | null | undefined;
  institutionSw?: string | null | undefined;
  jurisdiction: JurisdictionInput;
  publicContact?: string | null | undefined;
  deliveryContact?: string | null | undefined;
}

/** The admin view of a target: everything but the private contact, of which only its presence shows. */
export function adminTarget(row: TargetRow) {
  return {
    id: row.id,
    name: row.name,
    office: row.office,
    institution: row.institution,
    nameSw: row.nameSw,
    officeSw: row.officeSw,
    institutionSw: row.institutionSw,
    jurisdiction: {
      level: row.jurisdictionLevel,
      county: row.county as CountyCode | null,
      ocdId: row.ocdId,
    },
    publicContact: row.publicContact,
    hasDeliveryContact: row.deliveryContactEnc !== null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Default OCD id: the country, or the county's own division. */
function jurisdictionColumns(j: JurisdictionInput) {
  const county = j.level === 'county' ? (j.county ?? null) : null;
  const ocdId = j.ocdId ?? (county ? (countyByCode(county)?.ocdId ?? null) : 'ocd-division/country:ke');
  return { jurisdictionLevel: j.level, county, ocdId };
}

export async function createTarget(db: Db, crypto: FieldCrypto, input: TargetInput, now: number): Promise<TargetRow> {
  const id = randomUUID();
  const row: TargetRow = {
    id,
    name: input.name,
    office: input.office ?? null,
    institution: input.institution ?? null,
    nameSw: input.nameSw ?? null,
    officeSw: input.officeSw ?? null,
    institutionSw: input.institutionSw ?? null,
    ...jurisdictionColumns(input.jurisdiction),
    publicContact: input.publicContact ?? null,
    deliveryContactEnc: input.deliveryContact ? crypto.encrypt(input.deliveryContact, id, 'target-delivery-contact') : null,
    createdAt: now,
    updatedAt: now,
  };
  await db.orm.insert(targets).values(row);
  return row;
}

export async function findTarget(db: Db, id: string): Promise<TargetRow | undefined> {
  const [row] = await db.orm.select().from(targets).where(eq(targets.id, id)).limit(1);
  return row;
}

export async function listTargets(db: Db): Promise<TargetRow[]> {
  return db.orm.select().from(targets).orderBy(asc(targets.name));
}

/** Applies a partial edit; `deliveryContact: null` erases the private contact. Returns the changed field names. */
export async function updateTarget(
  db: Db,
  crypto: FieldCrypto,
  current: TargetRow,
  patch: Partial<TargetInput>,
  now: number,
): Promise<{ row: TargetRow; fields: string[] }> {
  const set: Partial<TargetRow> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.office !== undefined) set.office = patch.office;
  if (patch.institution !== undefined) set.institution = patch.institution;
  if (patch.nameSw !== undefined) set.nameSw = patch.nameSw;
  if (patch.officeSw !== undefined) set.officeSw = patch.officeSw;
  if (patch.institutionSw !== undefined) set.institutionSw = patch.institutionSw;
  if (patch.jurisdiction !== undefined) Object.assign(set, jurisdictionColumns(patch.jurisdiction));
  if (patch.publicContact !== undefined) set.publicContact = patch.publicContact;
  if (patch.deliveryContact !== undefined) {
    set.deliveryContactEnc = patch.deliveryContact ? crypto.encrypt(patch.deliveryContact, current.id, 'target-delivery-contact') : null;
  }
  const fields = Object.keys(patch);
  if (!fields.length) return { row: current, fields };
  set.updatedAt = now;
  await db.orm.update(targets).set(set).where(eq(targets.id, current.id));
  return { row: { ...current, ...set }, fields };
}

export interface AskRecord {
  targetId: string;
  demandIds: string[];
  askedOn: string;
  dueOn: string | null;
}

export async function findAsk(db: Db, campaignId: string, targetId: string): Promise<AskRecord | undefined> {
  const [ask] = await db.orm
    .select()
    .from(campaignAsks)
    .where(and(eq(campaignAsks.campaignId, campaignId), eq(campaignAsks.targetId, targetId)))
    .limit(1);
  if (!ask) return undefined;
  const covered = await db.orm.select({ demandId: campaignAskDemands.demandId }).from(campaignAskDemands).where(eq(campaignAskDemands.askId, ask.id));
  return { targetId, demandIds: covered.map((c) => c.demandId), askedOn: ask.askedOn, dueOn: ask.dueOn };
}

function checkDemandIds(campaign: CampaignRecord, ids: readonly string[], path: string): void {
  const known = new Set(campaign.demands.map((d) => d.id));
  if (ids.some((id) => !known.has(id))) throw validationProblem([fieldError(path, 'invalid')]);
}

/** Creates or replaces the ask of a target by a campaign (which demands, dates). */
export async function putAsk(
  db: Db,
  campaign: CampaignRecord,
  targetId: string,
  input: { demandIds: 'all' | string[]; askedOn: string; dueOn?: string | null | undefined },
  now: number,
): Promise<{ ask: AskRecord; created: boolean }> {
  const { statements, ...result } = await askStatements(db, campaign, targetId, input, now);
  const [first, ...rest] = statements;
  await db.orm.batch([first!, ...rest]);
  return result;
}

/** What `putAsk` writes, for a caller that writes it in one transaction with its own statements. */
export async function askStatements(
  db: Db,
  campaign: CampaignRecord,
  targetId: string,
  input: { demandIds: 'all' | string[]; askedOn: string; dueOn?: string | null | undefined },
  now: number,
): Promise<{ ask: AskRecord; created: boolean; statements: Parameters<typeof db.orm.batch>[0][number][] }> {
  const demandIds = input.demandIds === 'all' ? campaign.demands.map((d) => d.id) : [...new Set(input.demandIds)];
  checkDemandIds(campaign, demandIds, 'demandIds');
  if (!demandIds.length) throw validationProblem([fieldError('demandIds', 'required')]);
  const [existing] = await db.orm
    .select({ id: campaignAsks.id })
    .from(campaignAsks)
    .where(and(eq(campaignAsks.campaignId, campaign.id), eq(campaignAsks.targetId, targetId)))
    .limit(1);
  const askId = existing?.id ?? randomUUID();
  const dueOn = input.dueOn ?? null;
  const statements = [
    existing
      ? db.orm.update(campaignAsks).set({ askedOn: input.askedOn, dueOn, updatedAt: now }).where(eq(campaignAsks.id, askId))
      : db.orm.insert(campaignAsks).values({ id: askId, campaignId: campaign.id, targetId, askedOn: input.askedOn, dueOn, createdAt: now, updatedAt: now }),
    db.orm.delete(campaignAskDemands).where(eq(campaignAskDemands.askId, askId)),
    ...demandIds.map((demandId) => db.orm.insert(campaignAskDemands).values({ askId, demandId })),
  ];
  return { ask: { targetId, demandIds, askedOn: input.askedOn, dueOn }, created: !existing, statements };
}

export interface NewEntry {
  demandId: string;
  status: RecordableStatus;
  statement: string | null;
  statementSw: string | null;
  evidenceUrl: string | null;
}

/**
 * Appends position entries for one target, all in one transaction. `delivered` and `broken` are about a
 * commitment, so they are refused (per demand, `path` names it) unless the demand was once `committed`.
 */
export async function appendEntries(
  db: Db,
  input: {
    campaignId: string;
    targetId: string;
    entries: NewEntry[];
    recordedBy: 'duty_bearer' | 'campaign';
    actor: string;
    now: number;
    /** Field path prefix for errors, e.g. `demandIds` or `position.<demand id>`. */
    errorPath?: (demandId: string) => string;
    /** The audit entry, written in the same transaction as the entries (given their ids). */
    audit?: (entryIds: string[]) => AuditEntry;
  },
): Promise<string[]> {
  if (!input.entries.length) return [];
  const needsCommitment = input.entries.filter((e) => e.status === 'delivered' || e.status === 'broken');
  if (needsCommitment.length) {
    const committed = await db.orm
      .select({ demandId: positionEntries.demandId })
      .from(positionEntries)
      .where(
        and(
          eq(positionEntries.campaignId, input.campaignId),
          eq(positionEntries.targetId, input.targetId),
          eq(positionEntries.status, 'committed'),
          inArray(
            positionEntries.demandId,
            needsCommitment.map((e) => e.demandId),
          ),
        ),
      );
    const ok = new Set(committed.map((c) => c.demandId));
    const bad = needsCommitment.filter((e) => !ok.has(e.demandId));
    if (bad.length) {
      throw validationProblem(bad.map((e) => fieldError(input.errorPath?.(e.demandId) ?? 'status', 'invalid')));
    }
  }
  const ids = input.entries.map(() => randomUUID());
  const inserts = input.entries.map((entry, index) =>
    db.orm.insert(positionEntries).values({
      id: ids[index]!,
      campaignId: input.campaignId,
      targetId: input.targetId,
      demandId: entry.demandId,
      status: entry.status,
      statement: entry.statement,
      statementSw: entry.statementSw,
      evidenceUrl: entry.evidenceUrl,
      recordedBy: input.recordedBy,
      actor: input.actor,
      recordedAt: input.now,
    }),
  );
  type BatchItem = Parameters<typeof db.orm.batch>[0][number];
  const statements: BatchItem[] = [...inserts];
  if (input.audit) statements.push(auditInsert(db.orm, input.audit(ids)));
  statements.push(...(await statusChangedEvents(db, input, ids)));
  const [first, ...rest] = statements;
  await db.orm.batch([first!, ...rest]);
  return ids;
}

/**
 * `pledge.status_changed` webhook deliveries (see `src/webhooks`), one per entry whose status differs from
 * the position before it, and one `position` update to supporters for all of them (`src/updates`), queued
 * in the same transaction as the entries. The payload is what the public board shows anyway: no private
 * contact, no actor.
 */
async function statusChangedEvents(
  db: Db,
  input: { campaignId: string; targetId: string; entries: NewEntry[]; recordedBy: 'duty_bearer' | 'campaign'; now: number },
  ids: string[],
) {
  const [context] = await db.orm
    .select({ slug: campaigns.slug, updates: campaigns.updates, targetName: targets.name, askId: campaignAsks.id })
    .from(campaigns)
    .innerJoin(targets, eq(targets.id, input.targetId))
    .leftJoin(campaignAsks, and(eq(campaignAsks.campaignId, campaigns.id), eq(campaignAsks.targetId, input.targetId)))
    .where(eq(campaigns.id, input.campaignId))
    .limit(1);
  if (!context) return [];
  const asked = context.askId
    ? new Set((await db.orm.select().from(campaignAskDemands).where(eq(campaignAskDemands.askId, context.askId))).map((d) => d.demandId))
    : new Set<string>();
  const history = await db.orm
    .select({ demandId: positionEntries.demandId, status: positionEntries.status })
    .from(positionEntries)
    .where(and(eq(positionEntries.campaignId, input.campaignId), eq(positionEntries.targetId, input.targetId)))
    .orderBy(asc(positionEntries.recordedAt), asc(positionEntries.seq));
  const statements = [];
  const changes: { entryId: string; demandId: string; status: string; statement: string | null }[] = [];
  for (const [index, entry] of input.entries.entries()) {
    const previous = history.filter((h) => h.demandId === entry.demandId).at(-1)?.status ?? (asked.has(entry.demandId) ? 'asked' : 'not_asked');
    if (previous === entry.status) continue;
    // Supporters hear the duty bearer's words in whichever language they were given (English first).
    changes.push({ entryId: ids[index]!, demandId: entry.demandId, status: entry.status, statement: entry.statement ?? entry.statementSw });
    statements.push(
      ...(await webhookEventStatements(db.orm, {
        campaignId: input.campaignId,
        event: 'pledge.status_changed',
        now: input.now,
        data: {
          campaign: context.slug,
          entryId: ids[index],
          target: { id: input.targetId, name: context.targetName },
          demandId: entry.demandId,
          previousStatus: previous,
          status: entry.status,
          statement: entry.statement,
          statementSw: entry.statementSw,
          evidenceUrl: entry.evidenceUrl,
          recordedBy: input.recordedBy,
          recordedAt: new Date(input.now).toISOString(),
        },
      })),
    );
  }
  const update = positionEventStatement(db.orm, {
    campaignId: input.campaignId,
    settings: context.updates,
    targetId: input.targetId,
    targetName: context.targetName,
    changes,
    recordedBy: input.recordedBy,
    now: input.now,
  });
  return update ? [...statements, update] : statements;
}

/**
 * Adds a milestone; one already passed by the count is marked reached now (the time it was added). A step
 * (`targetId` and `step`) must name an existing target.
 */
export async function addMilestone(
  db: Db,
  campaignId: string,
  input: { threshold: number; label: { en: string; sw: string }; targetId?: string | undefined; step?: 'deliver' | 'ask_response' | undefined },
  currentCount: number,
  now: number,
): Promise<{
  id: string;
  threshold: number;
  label: { en: string; sw: string };
  reachedAt: number | null;
  step: { targetId: string; targetName: string; step: 'deliver' | 'ask_response' } | null;
}> {
  const [existing] = await db.orm
    .select({ id: milestones.id })
    .from(milestones)
    .where(and(eq(milestones.campaignId, campaignId), eq(milestones.threshold, input.threshold)))
    .limit(1);
  if (existing) throw validationProblem([fieldError('threshold', 'invalid')]);
  const target = input.targetId ? await findTarget(db, input.targetId) : undefined;
  if (input.targetId && !target) throw validationProblem([fieldError('targetId', 'invalid')]);
  const step = target && input.step ? { targetId: target.id, targetName: target.name, step: input.step } : null;
  const reachedAt = currentCount >= input.threshold ? now : null;
  const id = randomUUID();
  await db.orm.insert(milestones).values({
    id,
    campaignId,
    threshold: input.threshold,
    labelEn: input.label.en,
    labelSw: input.label.sw,
    targetId: step?.targetId ?? null,
    step: step?.step ?? null,
    reachedAt,
    createdAt: now,
  });
  return { id, threshold: input.threshold, label: input.label, reachedAt, step };
}

export async function deleteMilestone(db: Db, campaignId: string, threshold: number): Promise<boolean> {
  const deleted = await db.orm
    .delete(milestones)
    .where(and(eq(milestones.campaignId, campaignId), eq(milestones.threshold, threshold)))
    .returning({ id: milestones.id });
  return deleted.length > 0;
}

/**
 * Throws a 422 `validation` problem when any of these demands was asked of a target or has positions:
 * public history never loses what it was about. Also used by the campaign apply (`campaigns/input.ts`),
 * which removes demands past the end of a shorter list.
 */
export async function refuseRemovingDemandsInUse(db: Db, demandIds: readonly string[]): Promise<void> {
  if (!demandIds.length) return;
  const ids = [...demandIds];
  const askedFor = await db.orm.select({ id: campaignAskDemands.demandId }).from(campaignAskDemands).where(inArray(campaignAskDemands.demandId, ids)).limit(1);
  const recorded = await db.orm.select({ id: positionEntries.demandId }).from(positionEntries).where(inArray(positionEntries.demandId, ids)).limit(1);
  if (askedFor.length || recorded.length) {
    throw new ProblemError('validation', {
      detail: 'A demand that a target was asked for, or that has positions, cannot be removed; re-word it instead.',
      errors: [fieldError('demands', 'invalid')],
    });
  }
}

/**
 * Replaces a campaign's demands: listed ids are kept (re-worded, re-ordered), entries without an id are
 * added, unlisted ones removed — unless a target was asked for one or a position refers to it: public
 * history never loses what it was about (422 naming the demand).
 */
export async function replaceDemands(
  db: Db,
  campaign: CampaignRecord,
  input: { id?: string | undefined; text: { en: string; sw: string } }[],
  now: number,
): Promise<{ added: number; removed: number; kept: number }> {
  const keptIds = input.flatMap((d) => (d.id ? [d.id] : []));
  checkDemandIds(campaign, keptIds, 'demands');
  if (new Set(keptIds).size !== keptIds.length) throw validationProblem([fieldError('demands', 'invalid')]);
  const removed = campaign.demands.filter((d) => !keptIds.includes(d.id)).map((d) => d.id);
  await refuseRemovingDemandsInUse(db, removed);
  // Positions are unique per campaign: move the kept ones out of the way first, then number everything.
  type BatchItem = Parameters<typeof db.orm.batch>[0][number];
  const statements: BatchItem[] = [
    ...removed.map((id) => db.orm.delete(demands).where(eq(demands.id, id))),
    ...keptIds.map((id, index) => db.orm.update(demands).set({ position: -1 - index }).where(eq(demands.id, id))),
    ...input.map((d, index) =>
      d.id
        ? db.orm.update(demands).set({ position: index + 1, textEn: d.text.en, textSw: d.text.sw }).where(eq(demands.id, d.id))
        : db.orm.insert(demands).values({ id: randomUUID(), campaignId: campaign.id, position: index + 1, textEn: d.text.en, textSw: d.text.sw }),
    ),
  ];
  statements.push(db.orm.update(campaigns).set({ updatedAt: now }).where(eq(campaigns.id, campaign.id)));
  const [first, ...rest] = statements;
  await db.orm.batch([first!, ...rest]);
  return { added: input.filter((d) => !d.id).length, removed: removed.length, kept: keptIds.length };
}
