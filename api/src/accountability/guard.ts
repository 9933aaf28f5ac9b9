/**
 * Who may use the campaigner routes, and the record of what they changed: scoped admin tokens
 * (`requireScope`, src/auth) and the append-only audit log (`recordAudit`, src/audit). Kept behind these
 * two functions so the accountability routes name their needs in one place.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { recordAudit, type AuditDetails } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import { requireScope } from '../auth/require-scope.ts';
import type { AppBindings } from '../http/context.ts';

export type CampaignerScope = 'accountability:write' | 'campaigns:read';

export function campaignerGuard(scope: CampaignerScope): MiddlewareHandler<AppBindings> {
  return requireScope(scope);
}

export interface AccountabilityAudit {
  action: `${string}.${string}`;
  campaignId?: string;
  /** What the action was about: a target, link or entry id. Never a contact or a token. */
  subject?: string;
  rowCount?: number;
  /** Field names, statuses, counts: never values of free text or contacts. */
  details?: AuditDetails;
}

/** Records an admin's (or a response link's) change in the audit log, dated by the app's clock. */
export async function audit(c: Context<AppBindings>, entry: AccountabilityAudit, actor: Actor = c.var.actor): Promise<void> {
  const { db, clock } = c.var.services;
  await recordAudit(db.orm, { actor, at: clock(), ...entry });
}

/** The actor of a duty bearer answering through a response link. */
export function responseLinkActor(linkId: string): Actor {
  return { id: `response-link:${linkId}`, name: 'response link' };
}
