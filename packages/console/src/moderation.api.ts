/** The "Moderation" view's calls to the admin API (scope `moderation`) and their answers. */
import { call, type CampaignSummary } from './api.ts';

/** A row of `GET /admin/trending`: a keyed-hash prefix and figures, never an address or a domain. */
export interface Trend {
  campaignId: string;
  kind: 'source' | 'domain';
  hashPrefix: string;
  signatures: number;
  share: number;
}

export interface TrendQuery {
  windowMinutes: number;
  minCount: number;
  /** 0 to 1. */
  minShare: number;
}

/** A held signature: what the decision needs, no name and no contact (the API's contract). */
export interface HeldSignature {
  id: string;
  county: string | null;
  signedAt: string;
  confirmedAt: string | null;
  countedOnPhone: number;
}

export interface HeldPage {
  total: number;
  next: string | null;
  held: HeldSignature[];
}

/** One selector of `POST /admin/campaigns/{slug}/invalidations`. */
export type InvalidationSelector = { sourceHashPrefix: string } | { domainHashPrefix: string } | { emailDomain: string } | { from?: string; to?: string };

export interface InvalidationReport {
  affected: number;
  counted: number;
  pending: number;
  suspect: number;
  byCounty: Record<string, number>;
  dryRun: boolean;
}

export interface Triple {
  counted: number;
  pending: number;
  suspect: number;
}

export interface Drift {
  campaignId: string;
  bucket: string;
  stored: Triple;
  actual: Triple;
}

/** `GET /admin/system/reconciliation`: the last scheduled run, or null before the first. */
export interface LastReconciliation {
  lastRun: { at: string; durationMs: number; ok: boolean; drifts: (Drift & { slug: string | null })[] } | null;
}

/** `GET /admin/campaigns` lists each campaign's id too: reconciliation names campaigns by id. */
export type CampaignWithId = CampaignSummary & { id: string };

const campaignPath = (slug: string) => `/admin/campaigns/${encodeURIComponent(slug)}`;

export const moderationApi = {
  async campaigns(): Promise<CampaignWithId[]> {
    return (await call<{ campaigns: CampaignWithId[] }>('/admin/campaigns')).campaigns;
  },
  async trending(slug: string, query: TrendQuery): Promise<Trend[]> {
    const params = new URLSearchParams({ campaign: slug, windowMinutes: String(query.windowMinutes), minCount: String(query.minCount), minShare: String(query.minShare) });
    return (await call<{ trending: Trend[] }>(`/admin/trending?${params}`)).trending;
  },
  held(slug: string, limit: number, after?: string): Promise<HeldPage> {
    const params = new URLSearchParams({ limit: String(limit) });
    if (after) params.set('after', after);
    return call<HeldPage>(`${campaignPath(slug)}/held?${params}`);
  },
  decide(id: string, decision: 'count' | 'invalidate', reason: string, csrf: string): Promise<{ decision: string }> {
    return call(`/admin/signatures/${encodeURIComponent(id)}/held`, { method: 'POST', csrf, body: JSON.stringify({ decision, reason }) });
  },
  invalidate(slug: string, selector: InvalidationSelector, dryRun: boolean, csrf: string): Promise<InvalidationReport> {
    return call<InvalidationReport>(`${campaignPath(slug)}/invalidations`, { method: 'POST', csrf, body: JSON.stringify({ ...selector, dryRun }) });
  },
  strike(id: string, reason: string, undo: boolean, csrf: string): Promise<{ struck: boolean; changed: boolean }> {
    return call(`/admin/signatures/${encodeURIComponent(id)}/strike`, { method: 'POST', csrf, body: JSON.stringify({ reason, undo }) });
  },
  async reconcile(fix: boolean, csrf: string): Promise<Drift[]> {
    return (await call<{ drifts: Drift[] }>('/admin/reconcile', { method: 'POST', csrf, body: JSON.stringify({ fix }) })).drifts;
  },
  lastReconciliation(): Promise<LastReconciliation> {
    return call<LastReconciliation>('/admin/system/reconciliation');
  },
};
