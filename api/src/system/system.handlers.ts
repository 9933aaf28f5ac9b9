import { problemType } from '@imlu/contracts';
import { checkReadiness } from '../db/client.ts';
import type { AppRouteHandler } from '../http/context.ts';
import { PROBLEMS } from '../http/problem.ts';
import { readinessFor } from './readiness.ts';
import type { getHealth, getReady } from './system.routes.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };

export const getHealthHandler: AppRouteHandler<typeof getHealth> = (c) => c.json({ status: 'ok' as const }, 200, NO_STORE);

/** Why not ready, in the order the checks depend on each other; fixed sentences only. */
const NOT_READY_DETAIL = {
  accepting: 'The server is stopping.',
  database: 'The database cannot be reached.',
  migrations: 'The database is missing migrations.',
  writes: 'Writes are failing: the disk may be full, or another process holds the write lock.',
} as const;

export const getReadyHandler: AppRouteHandler<typeof getReady> = async (c) => {
  const { services } = c.var;
  const readiness = readinessFor(services);
  const accepting = !readiness.stopping;
  const { database, migrations } = await checkReadiness(services.db).catch(() => ({ database: false, migrations: false }));
  const writes = database && migrations ? await readiness.writes() : false;
  const checks = { database, migrations, writes, accepting };
  if (database && migrations && writes && accepting) return c.json({ status: 'ready' as const, checks }, 200, NO_STORE);
  const failed = (['accepting', 'database', 'migrations', 'writes'] as const).find((check) => !checks[check])!;
  const { status, title } = PROBLEMS.unavailable;
  // A state, not a fault of the request: said as a problem (the one error shape), with the checks beside it.
  return c.json({ type: problemType('unavailable'), title, status, detail: NOT_READY_DETAIL[failed], checks }, 503, {
    ...NO_STORE,
    'Content-Type': 'application/problem+json',
    'Retry-After': '1',
  });
};
