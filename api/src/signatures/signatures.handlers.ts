import type { SignResponse } from '@imlu/contracts';
import type { MiddlewareHandler } from 'hono';
import type { AppBindings, AppRouteHandler } from '../http/context.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { requestSource } from '../abuse/rate-limit.ts';
import { limitsFor, trippedFriction } from '../abuse/friction.ts';
import { isAcceptingSignatures } from '../campaigns/store.ts';
import { InvalidPhoneError, MissingContactError, prepareSubmission } from '../signing/prepare.ts';
import type { postSignature } from './signatures.routes.ts';

/** Finds the campaign named in the path and refuses unless it is open now. */
export const loadOpenCampaign: MiddlewareHandler<AppBindings> = async (c, next) => {
  const { campaigns, clock } = c.var.services;
  const campaign = await campaigns.findBySlug(c.req.param('slug') ?? '');
  if (!campaign || campaign.status === 'draft') throw new ProblemError('not-found');
  if (!isAcceptingSignatures(campaign, clock())) throw new ProblemError('campaign-closed');
  c.set('campaign', campaign);
  await next();
};

export const postSignatureHandler: AppRouteHandler<typeof postSignature> = async (c) => {
  const { writer, crypto, clock, rateLimits, altcha } = c.var.services;
  const campaign = c.var.campaign;
  const input = c.req.valid('json');
  const idempotencyKey = c.req.valid('header')['idempotency-key'];

  const limits = limitsFor(campaign, rateLimits);
  const source = requestSource(c, limits);
  let submission;
  try {
    submission = prepareSubmission(input, {
      campaign,
      crypto,
      now: clock(),
      origin: c.req.header('Origin') ?? null,
      idempotencyKey,
      sourceIp: source.ip,
      rateLimits: limits,
      suspect: trippedFriction({ ...input, exempt: source.exempt }, limits),
    });
  } catch (error) {
    if (error instanceof InvalidPhoneError) throw validationProblem([fieldError('phone', 'invalid_phone')]);
    if (error instanceof MissingContactError) throw validationProblem([fieldError(error.field, 'required')]);
    throw error;
  }

  if (campaign.challenge === 'altcha') {
    // Checked last, so a signer who must correct a field does not also need a new solution.
    if (!input.altcha) throw validationProblem([fieldError('altcha', 'challenge_required')]);
    const verdict = await altcha.verify(input.altcha, campaign.id, submission.idempotency?.keyHmac ?? null);
    if (verdict !== 'ok') throw validationProblem([fieldError('altcha', 'challenge_failed')]);
  }

  const result = await writer.submit(submission);
  if (result.outcome === 'idempotency-conflict') throw new ProblemError('idempotency-conflict');
  // Stored, duplicate and replayed all answer the same bytes.
  const body = JSON.parse(result.response.body) as SignResponse;
  return c.json(body, result.response.status === 202 ? 202 : 201, { 'Cache-Control': 'no-store' });
};
