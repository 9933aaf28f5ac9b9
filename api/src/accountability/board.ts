/**
 * The accountability board of a campaign: who was asked for what, where each duty bearer stands on each
 * demand, and who is overdue. `loadBoard` reads the rows; `buildAccountability` is a pure function of
 * those rows, today's Nairobi date and the signature count, so the rules below are tested without HTTP.
 *
 * Rules (documented for campaigners in docs/accountability.md):
 * - The current status of a target on a demand is its latest position entry (by time, then insertion).
 *   With no entry it is `asked` when the target's ask covers the demand, else `not_asked`.
 * - A target is overdue when it was asked (for at least one demand), has a due date, today's date in
 *   Nairobi is after that date, and none of its asked demands has any response (any entry at all).
 *   `daysOverdue` = whole days from the due date to today (1 on the day after the due date).
 * - A delivery (a pack handed over) is the campaign asking, not a response: it is listed in the target's
 *   `deliveries` and changes neither statuses nor overdue days.
 * - A milestone's step towards a target is due once the milestone is reached, until a delivery to that
 *   target is recorded after it (for `ask_response`, a response link issued or the ask made or changed
 *   after it also does).
 */
import type {
  Accountability,
  AccountabilitySummary,
  BoardPledge,
  PledgeAction,
  PledgeFigures,
  AccountabilityTarget,
  CountyCode,
  Locale,
  Delivery,
  Milestone,
  PositionEntry,
  PositionStatus,
  Target,
} from '@imlu/contracts';
import { asc, eq, inArray } from 'drizzle-orm';
import type { CampaignRecord } from '../campaigns/store.ts';
import type { Orm } from '../db/client.ts';
import { campaignAskDemands, campaignAsks, deliveries, milestones, positionEntries, responseLinks, targets } from '../db/schema.ts';
import { currentSigningKeyId } from '../exports/signing-key.ts';
import { daysBetween, startOfNairobiDate } from './dates.ts';

export interface BoardTarget {
  id: string;
  name: string;
  office: string | null;
  institution: string | null;
  nameSw: string | null;
  officeSw: string | null;
  institutionSw: string | null;
  jurisdictionLevel: 'national' | 'county';
  county: string | null;
  ocdId: string | null;
  publicContact: string | null;
  /** A private delivery contact or a public one is stored. */
  hasContact: boolean;
  askedOn: string;
  dueOn: string | null;
  /** When the ask was last made or changed (ms). */
  askUpdatedAt: number;
  demandIds: Set<string>;
}

export interface BoardEntry {
  targetId: string;
  demandId: string;
  status: Exclude<PositionStatus, 'not_asked' | 'asked'>;
  statement: string | null;
  statementSw: string | null;
  evidenceUrl: string | null;
  recordedBy: 'duty_bearer' | 'campaign';
  recordedAt: number;
}

export interface BoardDelivery {
  targetId: string;
  deliveredOn: string;
  channel: Delivery['channel'];
  signatures: number;
  manifestSha256: string;
  recordedAt: number;
}

export interface BoardMilestone {
  threshold: number;
  label: { en: string; sw: string };
  reachedAt: number | null;
  step: { targetId: string; targetName: string; step: 'deliver' | 'ask_response' } | null;
}

export interface BoardData {
  /** Targets asked by the campaign, in the order they were first asked. */
  targets: BoardTarget[];
  /** Every entry of the campaign, oldest first. */
  entries: BoardEntry[];
  milestones: BoardMilestone[];
  /** Every delivery of the campaign, oldest first. */
  deliveries: BoardDelivery[];
  /** When response links were issued, per target (ms), for milestone steps. */
  linksIssued: { targetId: string; recordedAt: number }[];
  /** Latest change of any of the above (ms). */
  changedAt: number;
  /** The key that signs the organisation's delivery packs (exports/signing-key.ts); null while there is none. */
  signingKeyId: string | null;
}

export async function loadBoard(orm: Orm, campaignId: string): Promise<BoardData> {
  const askRows = await orm
    .select({ ask: campaignAsks, target: targets })
    .from(campaignAsks)
    .innerJoin(targets, eq(targets.id, campaignAsks.targetId))
    .where(eq(campaignAsks.campaignId, campaignId))
    .orderBy(asc(campaignAsks.createdAt), asc(targets.name));
  const askIds = askRows.map((row) => row.ask.id);
  const coverage = askIds.length
    ? await orm.select().from(campaignAskDemands).where(inArray(campaignAskDemands.askId, askIds))
    : [];
  const entryRows = await orm
    .select()
    .from(positionEntries)
    .where(eq(positionEntries.campaignId, campaignId))
    .orderBy(asc(positionEntries.recordedAt), asc(positionEntries.seq));
  const milestoneRows = await orm
    .select({ milestone: milestones, targetName: targets.name })
    .from(milestones)
    .leftJoin(targets, eq(targets.id, milestones.targetId))
    .where(eq(milestones.campaignId, campaignId))
    .orderBy(asc(milestones.threshold));

  const deliveryRows = await orm
    .select()
    .from(deliveries)
    .where(eq(deliveries.campaignId, campaignId))
    .orderBy(asc(deliveries.recordedAt), asc(deliveries.seq));
  const linkRows = await orm
    .select({ targetId: responseLinks.targetId, recordedAt: responseLinks.createdAt })
    .from(responseLinks)
    .where(eq(responseLinks.campaignId, campaignId));

  let changedAt = 0;
  const boardTargets: BoardTarget[] = askRows.map(({ ask, target }) => {
    changedAt = Math.max(changedAt, ask.updatedAt, target.updatedAt);
    return {
      id: target.id,
      name: target.name,
      office: target.office,
      institution: target.institution,
      nameSw: target.nameSw,
      officeSw: target.officeSw,
      institutionSw: target.institutionSw,
      jurisdictionLevel: target.jurisdictionLevel,
      county: target.county,
      ocdId: target.ocdId,
      publicContact: target.publicContact,
      hasContact: target.deliveryContactEnc !== null || target.publicContact !== null,
      askedOn: ask.askedOn,
      dueOn: ask.dueOn,
      askUpdatedAt: ask.updatedAt,
      demandIds: new Set(coverage.filter((c) => c.askId === ask.id).map((c) => c.demandId)),
    };
  });
  const entries: BoardEntry[] = entryRows.map((row) => {
    changedAt = Math.max(changedAt, row.recordedAt);
    return {
      targetId: row.targetId,
      demandId: row.demandId,
      status: row.status,
      statement: row.statement,
      statementSw: row.statementSw,
      evidenceUrl: row.evidenceUrl,
      recordedBy: row.recordedBy,
      recordedAt: row.recordedAt,
    };
  });
  const boardMilestones = milestoneRows.map(({ milestone: row, targetName }) => {
    changedAt = Math.max(changedAt, row.createdAt, row.reachedAt ?? 0);
    return {
      threshold: row.threshold,
      label: { en: row.labelEn, sw: row.labelSw },
      reachedAt: row.reachedAt,
      step: row.targetId && row.step ? { targetId: row.targetId, targetName: targetName ?? '', step: row.step } : null,
    };
  });
  const boardDeliveries = deliveryRows.map((row) => {
    changedAt = Math.max(changedAt, row.recordedAt);
    const { targetId, deliveredOn, channel, signatures, manifestSha256, recordedAt } = row;
    return { targetId, deliveredOn, channel, signatures, manifestSha256, recordedAt };
  });
  for (const link of linkRows) changedAt = Math.max(changedAt, link.recordedAt);
  return {
    targets: boardTargets,
    entries,
    milestones: boardMilestones,
    deliveries: boardDeliveries,
    linksIssued: linkRows,
    changedAt,
    signingKeyId: await currentSigningKeyId(orm),
  };
}

export interface BuildOptions {
  /** Today's date in Nairobi, `YYYY-MM-DD`. */
  today: string;
  signatures: number;
  /** When the counts last changed (ms), for `updatedAt`. */
  countsUpdatedAt: number;
  /** A pledge campaign's figures per action (the public counts' `actions`), shown beside the commitments. */
  actionFigures?: readonly PledgeFigures[] | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A duty bearer's field as a reader in `locale` sees it: the Kiswahili one where there is one, else the English. */
export function inLocale(locale: Locale, en: string, sw: string | null): string {
  return locale === 'sw' ? (sw ?? en) : en;
}

/** The public campaign's `targets`: the duty bearers it asked, in the board's order. */
export function campaignTargets(data: BoardData): Target[] {
  return data.targets.map((t) => ({
    id: t.id,
    name: t.name,
    office: t.office,
    institution: t.institution,
    nameSw: t.nameSw,
    officeSw: t.officeSw,
    institutionSw: t.institutionSw,
  }));
}

export function buildAccountability(campaign: CampaignRecord, data: BoardData, options: BuildOptions): Accountability {
  const byTargetDemand = new Map<string, BoardEntry[]>();
  for (const entry of data.entries) {
    const key = `${entry.targetId}|${entry.demandId}`;
    let list = byTargetDemand.get(key);
    if (!list) byTargetDemand.set(key, (list = []));
    list.push(entry);
  }

  const summary: AccountabilitySummary = {
    targets: data.targets.length,
    asked: 0,
    responded: 0,
    committed: 0,
    delivered: 0,
    declined: 0,
    broken: 0,
    overdue: 0,
  };

  const targetsOut: AccountabilityTarget[] = data.targets.map((target) => {
    const positions = campaign.demands.map((demand) => {
      const entries = byTargetDemand.get(`${target.id}|${demand.id}`) ?? [];
      const history: PositionEntry[] = entries.map((e) => ({
        status: e.status,
        statement: e.statement,
        statementSw: e.statementSw,
        evidenceUrl: e.evidenceUrl,
        recordedAt: iso(e.recordedAt),
        recordedBy: e.recordedBy,
      }));
      const latest = entries.at(-1);
      const asked = target.demandIds.has(demand.id);
      const status: PositionStatus = latest ? latest.status : asked ? 'asked' : 'not_asked';
      const since = latest ? iso(latest.recordedAt) : asked ? iso(startOfNairobiDate(target.askedOn)) : null;
      return { demandId: demand.id, status, since, history };
    });

    const asked = target.demandIds.size > 0;
    const statuses = new Set(positions.map((p) => p.status));
    const respondedOnAsked = positions.some((p) => target.demandIds.has(p.demandId) && p.history.length > 0);
    const overdueDays = asked && target.dueOn && !respondedOnAsked ? daysBetween(target.dueOn, options.today) : 0;
    const overdue = overdueDays > 0;

    if (asked) summary.asked += 1;
    if (positions.some((p) => p.history.length > 0)) summary.responded += 1;
    if (statuses.has('committed') || statuses.has('delivered')) summary.committed += 1;
    if (statuses.has('delivered')) summary.delivered += 1;
    if (statuses.has('declined')) summary.declined += 1;
    if (statuses.has('broken')) summary.broken += 1;
    if (overdue) summary.overdue += 1;

    return {
      id: target.id,
      name: target.name,
      office: target.office,
      institution: target.institution,
      nameSw: target.nameSw,
      officeSw: target.officeSw,
      institutionSw: target.institutionSw,
      jurisdiction: {
        level: target.jurisdictionLevel,
        county: (target.county as CountyCode | null) ?? null,
        ocdId: target.ocdId,
      },
      publicContact: target.publicContact,
      askedOn: target.askedOn,
      dueOn: target.dueOn,
      overdue,
      daysOverdue: overdue ? overdueDays : null,
      positions,
      deliveries: data.deliveries
        .filter((d) => d.targetId === target.id)
        .map(({ deliveredOn, channel, signatures, manifestSha256, recordedAt }) => ({ deliveredOn, channel, signatures, manifestSha256, recordedAt: iso(recordedAt) })),
      contactAvailable: target.hasContact,
    };
  });

  const milestonesOut: Milestone[] = data.milestones.map((m) => ({
    threshold: m.threshold,
    label: m.label,
    reachedAt: m.reachedAt === null ? null : iso(m.reachedAt),
    step: m.step && { ...m.step, due: stepDue(data, m) },
  }));

  return {
    campaign: campaign.slug,
    title: campaign.title,
    demands: campaign.demands,
    targets: targetsOut,
    summary,
    signatures: options.signatures,
    milestones: milestonesOut,
    updatedAt: iso(Math.max(data.changedAt, options.countsUpdatedAt, campaign.updatedAt)),
    ...(data.signingKeyId ? { signingKeyId: data.signingKeyId } : {}),
    ...(campaign.actions.length ? { pledges: boardPledges(campaign.actions, options.actionFigures ?? []) } : {}),
  };
}

/** Each action with its figures ("1,200 pledged to attend the hearing on 12 January; 830 were there"). */
function boardPledges(actions: readonly PledgeAction[], figures: readonly PledgeFigures[]): BoardPledge[] {
  const byId = new Map(figures.map((f) => [f.id, f]));
  return actions.map((action) => {
    const f = byId.get(action.id);
    return {
      ...action,
      pledged: f?.pledged ?? 0,
      reminded: f?.reminded ?? 0,
      kept: f?.kept ?? 0,
      cant: f?.cant ?? 0,
      placesLeft: f ? f.placesLeft : action.capacity,
    };
  });
}

/** Whether a reached milestone's step still waits for a delivery (or, to ask for a response, a link) since. */
export function stepDue(data: BoardData, milestone: BoardMilestone): boolean {
  const { step, reachedAt } = milestone;
  if (!step || reachedAt === null) return false;
  const since = (list: { targetId: string; recordedAt: number }[]) =>
    list.some((item) => item.targetId === step.targetId && item.recordedAt >= reachedAt);
  if (since(data.deliveries)) return false;
  if (step.step !== 'ask_response') return true;
  const asks = data.targets.map((target) => ({ targetId: target.id, recordedAt: target.askUpdatedAt }));
  return !since(data.linksIssued) && !since(asks);
}
