import type { Locale } from '@imlu/contracts';
import type { MiddlewareHandler } from 'hono';
import type { AppBindings } from '../http/context.ts';
import { respond } from '../http/headers.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { requestSource } from '../abuse/rate-limit.ts';
import { limitsFor } from '../abuse/friction.ts';
import { isAcceptingSignatures } from '../campaigns/store.ts';
import { sign } from '../signing/sign.ts';

/** Finds the campaign named in the path and refuses unless it is open now. */
export const loadOpenCampaign: MiddlewareHandler<AppBindings> = async (c, next) => {
  const { campaigns, clock } = c.get('services');
  const campaign = await campaigns.findBySlug(c.req.param('slug') ?? '');
  if (!campaign || campaign.status === 'draft') throw new ProblemError('not-found');
  if (!isAcceptingSignatures(campaign, clock())) throw new ProblemError('campaign-closed');
  c.set('campaign', campaign);
  await next();
};

function explicitLocale(body: unknown): Locale | undefined {
  const locale = (body as { locale?: unknown } | null)?.locale;
  return locale === 'en' || locale === 'sw' ? locale : undefined;
}

/** The widget's channel: a JSON body, problem+json answers. The signing itself is `sign()`'s. */
export const postSignatureHandler: MiddlewareHandler<AppBindings> = async (c) => {
  // `c.get`, not `c.var`: Hono builds `c.var` afresh, as an object of every variable, on each read.
  const services = c.get('services');
  const campaign = c.get('campaign');
  const idempotencyKey = c.req.header('Idempotency-Key');
  if (idempotencyKey !== undefined && (idempotencyKey.length < 1 || idempotencyKey.length > 200)) {
    throw validationProblem([fieldError('idempotency-key', idempotencyKey.length ? 'too_long' : 'too_short')]);
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    throw new ProblemError('bad-request', { cause: error });
  }

  const result = await sign(services, campaign, body, {
    origin: c.req.header('Origin') ?? null,
    idempotencyKey,
    source: requestSource(c, limitsFor(campaign, services.rateLimits)),
    proofOfWork: true,
  });
  switch (result.outcome) {
    case 'invalid':
      // The widget says which language its signer reads in `locale`, which may differ from the browser's.
      throw validationProblem(result.errors, explicitLocale(body));
    case 'closed':
      throw new ProblemError('campaign-closed');
    case 'idempotency-conflict':
      throw new ProblemError('idempotency-conflict');
    case 'accepted':
      return respond(c, JSON.stringify(result.body), result.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  }
};
