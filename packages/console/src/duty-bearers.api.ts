/**
 * The Duty bearers view's calls: the admin accountability API (api/src/accountability/admin.router.ts,
 * docs/accountability.md). Reads go through `call`; writes through `write`, which keeps the problem's
 * field errors so that the form can say which field is wrong, in the staff member's language.
 */
import { ApiError, call } from './api.ts';

export type Level = 'national' | 'county';

/** `GET /admin/targets`: a duty bearer. The private delivery contact is never answered, only whether there is one. */
export interface AdminTarget {
  id: string;
  name: string;
  office: string | null;
  institution: string | null;
  nameSw: string | null;
  officeSw: string | null;
  institutionSw: string | null;
  jurisdiction: { level: Level; county: string | null; ocdId: string | null };
  publicContact: string | null;
  hasDeliveryContact: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TargetInput {
  name: string;
  nameSw: string | null;
  office: string | null;
  officeSw: string | null;
  institution: string | null;
  institutionSw: string | null;
  jurisdiction: { level: Level; county?: string | null };
  publicContact: string | null;
}

/** `GET /admin/campaigns/{slug}/asks`: one ask, answered or not, overdue by the board's rules. */
export interface AskStatus {
  targetId: string;
  demandIds: string[];
  askedOn: string;
  dueOn: string | null;
  responded: boolean;
  overdue: boolean;
  daysOverdue: number | null;
}

export interface Demand {
  id: string;
  position: number;
  text: { en: string; sw: string };
}

/** `GET /admin/campaigns/{slug}/response-links`: never the token or the URL. */
export interface ResponseLink {
  id: string;
  targetId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const STANCES = ['acknowledged', 'committed', 'declined', 'delivered', 'broken'] as const;
export type Stance = (typeof STANCES)[number];

export interface PositionInput {
  targetId: string;
  demandIds: string[] | 'all-asked';
  status: Stance;
  statement: string | null;
  statementSw: string | null;
  evidenceUrl: string | null;
}

/** A 422 whose fields are named: `path` as the API gives it (`name`, `jurisdiction.county`, `evidenceUrl`). */
export class FieldErrors extends ApiError {
  constructor(
    type: string | undefined,
    readonly fields: { path: string; code: string }[],
  ) {
    super(422, type);
  }
}

async function write<T>(path: string, method: string, csrf: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: 'application/json', 'X-CSRF-Token': csrf, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let problem: { type?: string; errors?: { path: string; code: string }[] } = {};
    try {
      problem = (await response.json()) as typeof problem;
    } catch {
      // Not a problem document.
    }
    if (response.status === 422 && problem.errors?.length) throw new FieldErrors(problem.type, problem.errors);
    throw new ApiError(response.status, problem.type);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const campaignPath = (slug: string, rest: string) => `/admin/campaigns/${encodeURIComponent(slug)}/${rest}`;

export const dutyBearersApi = {
  async targets(): Promise<AdminTarget[]> {
    return (await call<{ targets: AdminTarget[] }>('/admin/targets')).targets;
  },
  async asks(slug: string): Promise<AskStatus[]> {
    return (await call<{ asks: AskStatus[] }>(campaignPath(slug, 'asks'))).asks;
  },
  async demands(slug: string): Promise<Demand[]> {
    return (await call<{ demands: Demand[] }>(campaignPath(slug, 'demands'))).demands;
  },
  async links(slug: string): Promise<ResponseLink[]> {
    return (await call<{ links: ResponseLink[] }>(campaignPath(slug, 'response-links'))).links;
  },
  createTarget(csrf: string, input: TargetInput): Promise<AdminTarget> {
    return write('/admin/targets', 'POST', csrf, input);
  },
  editTarget(csrf: string, id: string, input: TargetInput): Promise<AdminTarget> {
    return write(`/admin/targets/${encodeURIComponent(id)}`, 'PATCH', csrf, input);
  },
  ask(csrf: string, slug: string, targetId: string, input: { demandIds: string[]; askedOn: string; dueOn: string | null }): Promise<AskStatus> {
    return write(campaignPath(slug, `asks/${encodeURIComponent(targetId)}`), 'PUT', csrf, input);
  },
  recordPosition(csrf: string, slug: string, input: PositionInput): Promise<{ entries: string[] }> {
    return write(campaignPath(slug, 'positions'), 'POST', csrf, input);
  },
  issueLink(csrf: string, slug: string, targetId: string): Promise<ResponseLink & { url: string }> {
    return write(campaignPath(slug, 'response-links'), 'POST', csrf, { targetId });
  },
  revokeLink(csrf: string, slug: string, linkId: string): Promise<void> {
    return write(campaignPath(slug, `response-links/${encodeURIComponent(linkId)}`), 'DELETE', csrf);
  },
};
