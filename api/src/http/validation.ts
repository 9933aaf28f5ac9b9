/**
 * Request validation glue for @hono/zod-openapi: every route validates with the contracts' zod schemas,
 * and a failure becomes one 422 problem listing each invalid field once.
 */
import type { Hook } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppBindings } from './context.ts';
import { fieldErrorsFromIssues, ProblemError, validationProblem } from './problem.ts';

export const validationHook: Hook<unknown, AppBindings, string, unknown> = (result) => {
  if (result.success) return;
  // A path parameter that cannot be a slug cannot name a campaign either: that is a 404, not a 422.
  if (result.target === 'param') throw new ProblemError('not-found');
  throw validationProblem(fieldErrorsFromIssues(result.error.issues));
};

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** 415 unless the body is declared as JSON; a body is only ever parsed as what it claims to be. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) throw new ProblemError('unsupported-media-type');
  await next();
};
