/** The Campaigns view's calls: the list, one campaign as its document, create (POST) and update (PUT). */
import { ApiError, call, consoleApi, type CampaignSummary } from './api.ts';
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

/** One field error of a 422 problem: its path in the document (`title.sw`, `demands.0.en`) and code. */
export interface FieldProblem {
  path: string;
  code: string;
}

/** A refused save, with the problem's field errors (none for a 403 and the like). */
export class SaveRefused extends ApiError {
  constructor(
    status: number,
    type: string | undefined,
    readonly errors: FieldProblem[],
  ) {
    super(status, type);
  }
}

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

/**
 * As `call()`, but a refusal keeps the problem's field errors: the form shows each next to its input.
 * (`ApiError` carries the status and type only.)
 */
async function send<T>(method: 'POST' | 'PUT', path: string, document: CampaignDocument, csrf: string): Promise<T> {
  const response = await fetch(path, {
    method,
    body: JSON.stringify(document),
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!response.ok) {
    let problem: { type?: string; errors?: FieldProblem[] } = {};
    try {
      problem = (await response.json()) as typeof problem;
    } catch {
      // Not a problem document.
    }
    throw new SaveRefused(response.status, problem.type, Array.isArray(problem.errors) ? problem.errors : []);
  }
  return (await response.json()) as T;
}
