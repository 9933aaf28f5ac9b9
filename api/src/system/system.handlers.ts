import { problemType } from '@imlu/contracts';
import { checkReadiness } from '../db/client.ts';
import type { AppRouteHandler } from '../http/context.ts';
import { PROBLEMS, problemTitle } from '../http/problem.ts';
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

/** How long `/ready` waits for the database before it says writes are not getting through. */
const READY_CHECK_MS = 1000;

export const getReadyHandler: AppRouteHandler<typeof getReady> = async (c) => {
  const { services } = c.var;
  const readiness = readinessFor(services);
  const accepting = !readiness.stopping;
  // The database thread answers in order: behind a write that waits for another process's lock, this
  // check would wait too. A load balancer needs an answer now, and "busy for a second" is an answer.
  const check = await Promise.race([
    checkReadiness(services.db).catch(() => ({ database: false, migrations: false })),
    new Promise<'busy'>((resolve) => setTimeout(() => resolve('busy'), READY_CHECK_MS).unref()),
  ]);
  const { database, migrations } = check === 'busy' ? { database: true, migrations: true } : check;
  // A writer whose last transaction failed is not ready, whatever a probe would say a moment later.
  const writes = check !== 'busy' && services.writer.health.failingSince === null && database && migrations ? await readiness.writes() : false;
  const checks = { database, migrations, writes, accepting };
  if (database && migrations && writes && accepting) return c.json({ status: 'ready' as const, checks }, 200, NO_STORE);
  const failed = (['accepting', 'database', 'migrations', 'writes'] as const).find((check) => !checks[check])!;
  const { status } = PROBLEMS.unavailable;
  const title = problemTitle('unavailable', 'en'); // an operator's probe, not a signer's
  // A state, not a fault of the request: said as a problem (the one error shape), with the checks beside it.
  return c.json({ type: problemType('unavailable'), title, status, detail: NOT_READY_DETAIL[failed], checks }, 503, {
    ...NO_STORE,
    'Content-Type': 'application/problem+json',
    'Retry-After': '1',
  });
};
