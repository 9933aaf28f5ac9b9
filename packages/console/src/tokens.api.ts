/** The "API tokens and webhooks" view's calls: `/admin/tokens` (tokens:admin) and campaign webhooks (webhooks:write). */
import { call } from './api.ts';

export const SCOPES = [
  'campaigns:read',
  'campaigns:write',
  'signatures:export',
  'moderation',
  'accountability:write',
  'audit:read',
  'tokens:admin',
  'webhooks:write',
] as const;
export type Scope = (typeof SCOPES)[number];

export const WEBHOOK_EVENTS = ['signature.confirmed', 'pledge.status_changed', 'moderation.flood'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface TokenInfo {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface WebhookInfo {
  id: string;
  campaignId: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
}

const campaignPath = (slug: string) => `/admin/campaigns/${encodeURIComponent(slug)}/webhooks`;

export const tokensApi = {
  async tokens(): Promise<TokenInfo[]> {
    return (await call<{ tokens: TokenInfo[] }>('/admin/tokens')).tokens;
  },
  /** The new token's value is in this answer only. */
  createToken(csrf: string, name: string, scopes: Scope[]): Promise<TokenInfo & { token: string }> {
    return call('/admin/tokens', { method: 'POST', csrf, body: JSON.stringify({ name, scopes }) });
  },
  revokeToken(csrf: string, id: string): Promise<TokenInfo> {
    return call(`/admin/tokens/${encodeURIComponent(id)}`, { method: 'DELETE', csrf });
  },
  async webhooks(slug: string): Promise<WebhookInfo[]> {
    return (await call<{ webhooks: WebhookInfo[] }>(campaignPath(slug))).webhooks;
  },
  /** The signing secret is in this answer only. */
  createWebhook(csrf: string, slug: string, url: string, events: WebhookEvent[]): Promise<WebhookInfo & { secret: string }> {
    return call(campaignPath(slug), { method: 'POST', csrf, body: JSON.stringify({ url, events }) });
  },
  deleteWebhook(csrf: string, id: string): Promise<WebhookInfo> {
    return call(`/admin/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE', csrf });
  },
};
