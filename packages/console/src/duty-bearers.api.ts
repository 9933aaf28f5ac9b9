/**
 * The Duty bearers view's calls: the admin accountability API (api/src/accountability/admin.router.ts,
 * docs/accountability.md). A refused write throws `ApiError`, whose `errors` name the fields at fault.
 */
import { call } from './api.ts';

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

async function write<T>(path: string, method: string, csrf: string, body?: unknown): Promise<T> {
  return call<T>(path, { method, csrf, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
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
