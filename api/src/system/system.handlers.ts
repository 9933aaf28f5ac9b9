import { checkReadiness } from '../db/client.ts';
import type { AppRouteHandler } from '../http/context.ts';
import type { getHealth, getReady } from './system.routes.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };

export const getHealthHandler: AppRouteHandler<typeof getHealth> = (c) => c.json({ status: 'ok' as const }, 200, NO_STORE);

export const getReadyHandler: AppRouteHandler<typeof getReady> = async (c) => {
  const checks = await checkReadiness(c.var.services.db).catch(() => ({ database: false, migrations: false }));
  const ready = checks.database && checks.migrations;
  // Not an error but a state, so the body is the Ready document (which check failed), not a problem.
  return ready
    ? c.json({ status: 'ready' as const, checks: { ...checks } }, 200, NO_STORE)
    : c.json({ status: 'not_ready' as const, checks: { ...checks } }, 503, NO_STORE);
};
