/**
 * Read access to campaigns, with a short-lived cache. Every POST and GET needs its campaign, and on the
 * embedded database reads share the single connection with the writer, so a hot campaign is read from
 * the database at most once per `ttlMs`. Closing a campaign therefore takes effect within `ttlMs`.
 */
import { asc, eq } from 'drizzle-orm';
import type { ChallengeMode, Demand, LocalizedText, PledgeAction, Verification } from '@imlu/contracts';
import { signingWindow } from '@imlu/contracts/accepting';
import type { RateLimits } from '../signing/writer.ts';
import type { Orm } from '../db/client.ts';
import { campaigns, demands, pledgeActions } from '../db/schema.ts';

export interface CampaignRecord {
  id: string;
  slug: string;
  kind: 'petition' | 'pledge';
  title: LocalizedText;
  summary: LocalizedText;
  body: LocalizedText;
  goal: number | null;
  status: 'draft' | 'open' | 'closed';
  opensAt: number | null;
  closesAt: number | null;
  verification: Verification;
  consentVersion: string;
  challenge: ChallengeMode;
  /** This campaign's soft rate limits over the server's (partial), or null. */
  rateLimits: Partial<RateLimits> | null;
  /** Names that may sign from one phone number (a family phone). */
  phoneHousehold: number;
  /** The delivery pack's sender (organisation, contact), or null where the campaign names none. */
  senderOrganisation: string | null;
  senderContact: string | null;
  createdAt: number;
  updatedAt: number;
  demands: Demand[];
  /** A pledge campaign's actions, in order; empty for a petition. */
  actions: PledgeAction[];
}

/** Whether a campaign accepts signatures at `now`: the contracts' one rule, which the widget applies too. */
export function isAcceptingSignatures(campaign: CampaignRecord, now: number): boolean {
  return signingWindow(campaign, now) === 'open';
}

export interface CampaignStoreOptions {
  ttlMs?: number;
  now?: () => number;
  /** Bound on cached slugs, so requests for random slugs cannot grow memory without limit. */
  maxEntries?: number;
}

/** How long a request waits for a campaign's refresh before it is served the copy it replaces. */
const STALE_AFTER_MS = 25;

export class CampaignStore {
  readonly #orm: Orm;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #cache = new Map<string, { record: CampaignRecord | undefined; expires: number }>();
  readonly #loading = new Map<string, Promise<CampaignRecord | undefined>>();

  constructor(orm: Orm, options: CampaignStoreOptions = {}) {
    this.#orm = orm;
    this.#ttlMs = options.ttlMs ?? 2000;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  /** The campaign with this slug, drafts included (callers decide what a draft means for them). */
  async findBySlug(slug: string): Promise<CampaignRecord | undefined> {
    const cached = this.#cache.get(slug);
    if (cached && cached.expires > this.#now()) return cached.record;
    let loading = this.#loading.get(slug);
    if (!loading) {
      loading = this.#load(slug)
        .then((record) => {
          if (this.#cache.size >= this.#maxEntries) this.#cache.clear();
          this.#cache.set(slug, { record, expires: this.#now() + this.#ttlMs });
          return record;
        })
        .finally(() => this.#loading.delete(slug));
      this.#loading.set(slug, loading);
    }
    if (!cached) return loading;
    // Known but due for a refresh: the fresh record if the database answers at once, else the one we have.
    // A database that waits (another process's write lock) must not hold every counts and page request.
    loading.catch(() => undefined);
    const stale = new Promise<CampaignRecord | undefined>((resolve) => setTimeout(() => resolve(cached.record), STALE_AFTER_MS).unref());
    return Promise.race([loading, stale]);
  }

  /** Forgets cached campaigns, e.g. after an operator changed one. */
  invalidate(): void {
    this.#cache.clear();
  }

  async #load(slug: string): Promise<CampaignRecord | undefined> {
    const [row] = await this.#orm.select().from(campaigns).where(eq(campaigns.slug, slug)).limit(1);
    if (!row) return undefined;
    const demandRows = await this.#orm
      .select()
      .from(demands)
      .where(eq(demands.campaignId, row.id))
      .orderBy(asc(demands.position));
    const actionRows =
      row.kind === 'pledge'
        ? await this.#orm.select().from(pledgeActions).where(eq(pledgeActions.campaignId, row.id)).orderBy(asc(pledgeActions.position))
        : [];
    return {
      id: row.id,
      slug: row.slug,
      kind: row.kind,
      title: { en: row.titleEn, sw: row.titleSw },
      summary: { en: row.summaryEn, sw: row.summarySw },
      body: { en: row.bodyEn, sw: row.bodySw },
      goal: row.goal,
      status: row.status,
      opensAt: row.opensAt,
      closesAt: row.closesAt,
      verification: row.verification,
      consentVersion: row.consentVersion,
      challenge: row.challenge,
      rateLimits: row.rateLimits as Partial<RateLimits> | null,
      phoneHousehold: row.phoneHousehold,
      senderOrganisation: row.senderOrganisation,
      senderContact: row.senderContact,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      demands: demandRows.map((d) => ({ id: d.id, position: d.position, text: { en: d.textEn, sw: d.textSw } })),
      actions: actionRows.map(toPledgeAction),
    };
  }
}

/** An action row as the contract shows it. */
export function toPledgeAction(a: typeof pledgeActions.$inferSelect): PledgeAction {
  return {
    id: a.id,
    position: a.position,
    title: { en: a.titleEn, sw: a.titleSw },
    place: a.placeEn !== null && a.placeSw !== null ? { en: a.placeEn, sw: a.placeSw } : null,
    county: a.county as PledgeAction['county'],
    startsAt: a.startsAt === null ? null : new Date(a.startsAt).toISOString(),
    capacity: a.capacity,
  };
}
