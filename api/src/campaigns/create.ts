/** Creating campaigns (used by the demo seed and tests; an admin CLI can build on it). */
import { randomUUID } from 'node:crypto';
import type { ChallengeMode, CountyCode, LocalizedText, Verification } from '@imlu/contracts';
import type { RateLimits } from '../signing/writer.ts';
import type { Db } from '../db/client.ts';
import { normaliseUpdateSettings, type UpdateSettings } from '../updates/settings.ts';
import { campaigns, demands, pledgeActions } from '../db/schema.ts';

export interface NewCampaign {
  slug: string;
  kind?: 'petition' | 'pledge';
  title: LocalizedText;
  summary: LocalizedText;
  body: LocalizedText;
  goal?: number | null;
  status?: 'draft' | 'open' | 'closed';
  opensAt?: number | null;
  closesAt?: number | null;
  /** How signers confirm. Default `either`. */
  verification?: Verification;
  /** Older boolean form: true = `either`, false = `none`. Ignored when `verification` is given. */
  requiresVerification?: boolean;
  consentVersion: string;
  /** Proof of work asked of the widget's signers. Default `none`. */
  challenge?: ChallengeMode;
  /** Soft rate limits over the server's defaults for this campaign (e.g. `{ ipBurst: 5 }`). */
  rateLimits?: Partial<RateLimits> | null;
  /** Names that may sign from one phone number. Default 2. */
  phoneHousehold?: number;
  /** Days after the campaign ends that signers' personal data is kept. Default 180. */
  retentionDays?: number;
  /** Which events send updates to signers who opted in, and where they link to. Default: none. */
  updates?: UpdateSettings | null;
  /** In the order they are shown. */
  demands?: LocalizedText[];
  /** A pledge campaign's actions, in the order they are shown. */
  actions?: NewPledgeAction[];
  /** Named on the delivery pack's cover as its sender. */
  senderOrganisation?: string | null;
  senderContact?: string | null;
}

/** What a pledge campaign asks supporters to do (`pledge_actions`); times in ms. */
export interface NewPledgeAction {
  title: LocalizedText;
  place: LocalizedText | null;
  county: CountyCode | null;
  startsAt: number | null;
  capacity: number | null;
}

/** Inserts a campaign and its demands in one transaction; returns the new campaign id. */
export async function createCampaign(db: Db, input: NewCampaign, now: number = Date.now()): Promise<string> {
  const id = randomUUID();
  await db.orm.batch([
    db.orm.insert(campaigns).values(campaignValues(id, input, now)),
    ...(input.demands ?? []).map((text, index) =>
      db.orm.insert(demands).values({ id: randomUUID(), campaignId: id, position: index + 1, textEn: text.en, textSw: text.sw }),
    ),
    ...(input.actions ?? []).map((a, index) => db.orm.insert(pledgeActions).values(pledgeActionValues(id, index + 1, a))),
  ]);
  return id;
}

export function campaignValues(id: string, input: NewCampaign, now: number): typeof campaigns.$inferInsert {
  return {
    id,
    slug: input.slug,
    kind: input.kind ?? 'petition',
    titleEn: input.title.en,
    titleSw: input.title.sw,
    summaryEn: input.summary.en,
    summarySw: input.summary.sw,
    bodyEn: input.body.en,
    bodySw: input.body.sw,
    goal: input.goal ?? null,
    status: input.status ?? 'draft',
    opensAt: input.opensAt ?? null,
    closesAt: input.closesAt ?? null,
    verification: input.verification ?? (input.requiresVerification === false ? 'none' : 'either'),
    consentVersion: input.consentVersion,
    challenge: input.challenge ?? 'none',
    rateLimits: input.rateLimits ?? null,
    phoneHousehold: input.phoneHousehold ?? 2,
    retentionDays: input.retentionDays ?? 180,
    updates: input.updates ? normaliseUpdateSettings(input.updates) : null,
    senderOrganisation: input.senderOrganisation ?? null,
    senderContact: input.senderContact ?? null,
    closedAt: input.status === 'closed' ? now : null,
    createdAt: now,
    updatedAt: now,
  };
}

/** A row of `pledge_actions`, with a new id (an update by position keeps the old row's). */
export function pledgeActionValues(campaignId: string, position: number, a: NewPledgeAction): typeof pledgeActions.$inferInsert {
  return {
    id: randomUUID(),
    campaignId,
    position,
    titleEn: a.title.en,
    titleSw: a.title.sw,
    placeEn: a.place?.en ?? null,
    placeSw: a.place?.sw ?? null,
    county: a.county,
    startsAt: a.startsAt,
    capacity: a.capacity,
  };
}
