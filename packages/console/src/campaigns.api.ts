/** The Campaigns view's calls: the list, one campaign as its document, create (POST) and update (PUT). */
import { call, consoleApi, type CampaignSummary, type FieldProblem } from './api.ts';
import type { CampaignKind, CampaignStatus, ChallengeMode, RateLimitKey, UpdateEvent, Verification } from './campaigns.strings.ts';

interface Both {
  en: string;
  sw: string;
}

/** The campaign document (`CampaignInput` in api/src/campaigns/input.ts), as GET gives it and PUT takes it. */
export interface CampaignDocument {
  slug: string;
  kind: CampaignKind;
  status: CampaignStatus;
  title: Both;
  summary: Both;
  body: Both;
  goal: number | null;
  opensAt: string | null;
  closesAt: string | null;
  verification: Verification;
  challenge: ChallengeMode;
  /** Absent key: the server's limit; null: off. */
  rateLimits: Partial<Record<RateLimitKey, number | null>> | null;
  phoneHousehold: number;
  retentionDays: number;
  updates: { events: UpdateEvent[]; link: string | null };
  consentVersion: string;
  demands: Both[];
  /** A pledge's actions: kept as they are (edited with `imlu campaign apply`). */
  actions: unknown[];
  senderOrganisation: string | null;
  senderContact: string | null;
}

export type { FieldProblem };
export type { CampaignSummary };

export const campaignsApi = {
  list(): Promise<CampaignSummary[]> {
    return consoleApi.campaigns();
  },
  get(slug: string): Promise<CampaignDocument> {
    return call<CampaignDocument>(`/admin/campaigns/${encodeURIComponent(slug)}`);
  },
  /** Creates only: a slug in use comes back as a field error on `slug`. */
  create(document: CampaignDocument, csrf: string): Promise<{ created: boolean; changed: string[] }> {
    return send('POST', '/admin/campaigns', document, csrf);
  },
  update(document: CampaignDocument, csrf: string): Promise<{ created: boolean; changed: string[] }> {
    return send('PUT', `/admin/campaigns/${encodeURIComponent(document.slug)}`, document, csrf);
  },
};

/** A refusal throws `ApiError`; a 422's `errors` name each field (`title.sw`, `demands.0.en`) for the form. */
function send<T>(method: 'POST' | 'PUT', path: string, document: CampaignDocument, csrf: string): Promise<T> {
  return call<T>(path, { method, body: JSON.stringify(document), csrf });
}
