/**
 * Who may use the campaigner routes, and the record of what they changed — kept behind these two
 * functions so the interim guard can be swapped for scoped admin tokens in one place.
 *
 * INTERIM: the `exports` branch brings scoped admin tokens (`requireScope`) and an append-only audit log
 * (`recordAudit`). Until it is merged, the campaigner routes take the moderation `ADMIN_TOKEN`
 * (`requireAdmin`: 404 without it) and the audit goes to the structured log (ids and field names only,
 * never values).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppBindings } from '../http/context.ts';
import { requireAdmin } from '../moderation/admin.router.ts';

export type CampaignerScope = 'accountability:write' | 'campaigns:read';

export function campaignerGuard(adminToken: string | undefined, _scope: CampaignerScope): MiddlewareHandler<AppBindings> {
  const admin = requireAdmin(adminToken);
  return async (c, next) =>
    admin(c, async () => {
      c.set('actor', 'admin-token');
      await next();
    });
}

export interface AuditEntry {
  action: string;
  campaignId?: string;
  targetId?: string;
  subjectId?: string;
  /** Field names changed, never their values (a private contact must not reach the audit trail in clear). */
  fields?: string[];
}

export async function audit(c: Context<AppBindings>, entry: AuditEntry): Promise<void> {
  c.var.services.logger.info('audit', { actor: c.var.actor, ...entry, fields: entry.fields?.join(',') });
}
