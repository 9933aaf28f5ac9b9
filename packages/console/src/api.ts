/** The console's calls to its own origin: the sign-in and session endpoints under /console/api. */
import type { Role, ViewId } from './strings.ts';

export interface Session {
  staffId: string;
  name: string;
  role: Role;
  scopes: string[];
  views: ViewId[];
  csrfToken: string;
  expiresAt: string;
}

/** A problem's field error: the field's path (`scopes`, `title.sw`) and a stable code (`required`, `invalid`…). */
export interface FieldProblem {
  path: string;
  code: string;
  message?: string;
}

/** An answer other than the one hoped for: its status, problem type (`urn:imlu:problem:…`) and field errors. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly type: string | undefined,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(`HTTP ${status}${type ? ` ${type}` : ''}`);
  }

  /** The first field error at `path`, if any. */
  field(path: string): FieldProblem | undefined {
    return this.errors.find((error) => error.path === path);
  }
}

export async function call<T>(path: string, init: RequestInit & { csrf?: string | undefined } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.csrf) headers['X-CSRF-Token'] = init.csrf;
  const response = await fetch(path, { ...init, headers, credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) {
    let problem: { type?: string; errors?: FieldProblem[] } = {};
    try {
      problem = (await response.json()) as typeof problem;
    } catch {
      // Not a problem document.
    }
    throw new ApiError(response.status, problem.type, Array.isArray(problem.errors) ? problem.errors : []);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A campaign as `GET /admin/campaigns` lists it. */
export interface CampaignSummary {
  slug: string;
  kind: string;
  status: string;
  title: { en: string; sw: string };
  goal: number | null;
  counted: number;
  pending: number;
  suspect: number;
}

interface DayStates {
  counted: number;
  pending: number;
  suspect: number;
  held: number;
  invalid: number;
}

interface Milestone {
  threshold: number;
  label: { en: string; sw: string };
  reachedAt: string | null;
}

/** `GET /admin/campaigns/{slug}/stats/daily` (docs/stats.md). */
export interface DailyStats {
  from: string;
  to: string;
  days: (DayStates & { date: string })[];
  totals: { counted: number; pending: number; suspect: number };
  progress: { goal: number | null; counted: number; share: number | null; remaining: number | null };
  milestones: { reached: Milestone[]; next: (Milestone & { remaining: number }) | null };
}

/** `GET /admin/campaigns/{slug}/stats/counties`. */
export interface CountyTable {
  counties: { code: string; name: { en: string; sw: string }; counted: number; pending: number; share: number }[];
  unknown: { counted: number; pending: number; share: number };
}

/** A count, or `<5` where a small number could point at a person (docs/stats.md). */
export type Floored = number | '<5';

export interface PartnerFigures {
  counted: Floored;
  pending: Floored;
  confirmationRate: number | null;
  topCounties: { code: string; counted: Floored }[];
}

/** `GET /admin/campaigns/{slug}/stats/partners`: per partner origin, then per `source`. */
export interface PartnerStats {
  origins: (PartnerFigures & { origin: string | null; sources: (PartnerFigures & { source: string | null; other?: true })[] })[];
}

/** An entry of `GET /admin/audit`: never personal data (the API's contract). */
export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actorName: string;
  action: string;
  campaignSlug: string | null;
  subject: string | null;
  rowCount: number | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  campaign?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: string | undefined;
}

export const consoleApi = {
  /** The current session, or undefined when not signed in. */
  async session(): Promise<Session | undefined> {
    try {
      return await call<Session>('/console/api/session');
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  },
  askLink(email: string, locale: string): Promise<unknown> {
    return call('/console/api/sign-in', { method: 'POST', body: JSON.stringify({ email, locale }) });
  },
  verify(link: string, code: string): Promise<Session> {
    return call<Session>('/console/api/sign-in/verify', { method: 'POST', body: JSON.stringify({ link, code }) });
  },
  async campaigns(): Promise<CampaignSummary[]> {
    return (await call<{ campaigns: CampaignSummary[] }>('/admin/campaigns')).campaigns;
  },
  daily(slug: string): Promise<DailyStats> {
    return call<DailyStats>(`/admin/campaigns/${encodeURIComponent(slug)}/stats/daily`);
  },
  counties(slug: string): Promise<CountyTable> {
    return call<CountyTable>(`/admin/campaigns/${encodeURIComponent(slug)}/stats/counties`);
  },
  partners(slug: string): Promise<PartnerStats> {
    return call<PartnerStats>(`/admin/campaigns/${encodeURIComponent(slug)}/stats/partners`);
  },
  audit(query: AuditQuery, limit = 50): Promise<{ entries: AuditEntry[]; next: string | null }> {
    const params = new URLSearchParams({ limit: String(limit) });
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
    return call(`/admin/audit?${params}`);
  },
  signOut(csrf: string, everywhere: boolean): Promise<unknown> {
    return call(everywhere ? '/console/api/sign-out-everywhere' : '/console/api/sign-out', { method: 'POST', csrf });
  },
};
