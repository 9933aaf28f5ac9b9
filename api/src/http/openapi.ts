/** Helpers that keep the OpenAPI document honest about error responses. */
import { ProblemSchema } from '@imlu/contracts';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppBindings } from './context.ts';
import { validationHook } from './validation.ts';

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON (`bad-request`)',
  403: 'Origin not allowed to sign (`forbidden-origin`), or an admin token without the scope this route needs (`forbidden`)',
  404: 'Unknown or unpublished campaign, unknown route, or (admin routes) a missing, unknown or revoked token (`not-found`)',
  409: 'Campaign closed, not yet open or past its closing date (`campaign-closed`)',
  413: 'Body over 16 KB (`payload-too-large`)',
  415: 'Body not declared as JSON (`unsupported-media-type`)',
  422: 'Invalid fields (`validation`, one entry per field in `errors`) or an Idempotency-Key reused with another body (`idempotency-conflict`)',
  429: 'Too many requests or attempts (`rate-limited`); `Retry-After` says when to try again, when it can be known',
  500: 'Unexpected error (`internal`)',
  503: 'Storage temporarily unavailable; retry with the same Idempotency-Key (`unavailable`)',
};

/** `responses` entries for the given error statuses, each an `application/problem+json` Problem. */
export function problemResponses<S extends keyof typeof PROBLEM_DESCRIPTIONS>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: PROBLEM_DESCRIPTIONS[status]!, content: { 'application/problem+json': { schema: ProblemSchema } } },
    ]),
  ) as Record<S, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }>;
}

/** A router whose validation failures go through the one error path. */
export function createRouter(): OpenAPIHono<AppBindings> {
  return new OpenAPIHono<AppBindings>({ defaultHook: validationHook });
}
