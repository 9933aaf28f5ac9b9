/**
 * Campaigner routes under `/admin`: targets, asks, positions, deliveries, milestones, response links and a campaign's
 * demands. Every change is audited. There is deliberately NO route that edits or deletes a position entry
 * (a correction is a new entry); revoking a response link keeps its record.
 *
 * The private delivery contact of a target is write-only: accepted on create and edit, stored encrypted,
 * and answered only as `hasDeliveryContact`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { DemandSchema, MilestoneSchema, SlugSchema } from '@imlu/contracts';
import { and, asc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { CampaignRecord } from '../campaigns/store.ts';
import { campaignAskDemands, campaignAsks, responseLinks } from '../db/schema.ts';
import type { AppBindings } from '../http/context.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { loadBoard, stepDue } from './board.ts';
import { recordDelivery, staffPromptStatement } from './deliveries.ts';
import { audit, campaignerGuard } from './guard.ts';
import { issueResponseLink, revokeResponseLink } from './links.ts';
import {
  addMilestone,
  adminTarget,
  appendEntries,
  createTarget,
  deleteMilestone,
  findAsk,
  findTarget,
  listTargets,
  putAsk,
  replaceDemands,
  updateTarget,
} from './operations.ts';
import {
  AdminTargetSchema,
  AskInputSchema,
  AskSchema,
  AskStatusSchema,
  DeliveryInputSchema,
  DeliveryRecordSchema,
  DemandsInputSchema,
  IssuedResponseLinkSchema,
  MilestoneInputSchema,
  PositionInputSchema,
  ResponseLinkInputSchema,
  ResponseLinkSchema,
  TargetInputSchema,
  TargetPatchSchema,
} from './schemas.ts';

const security: Record<string, string[]>[] = [{ adminToken: [] }, { consoleSession: [] }];
const tags = ['admin: accountability'];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, ...json(schema) } });
const slugParam = z.object({ slug: SlugSchema });
const targetParam = z.object({ targetId: z.string().max(64) });
const noStore = { 'Cache-Control': 'no-store' };

type AdminContext = Context<AppBindings>;

/** Any campaign, drafts included (a campaigner prepares the board before publishing). */
async function campaignOf(c: AdminContext, slug: string): Promise<CampaignRecord> {
  const campaign = await c.var.services.campaigns.findBySlug(slug);
  if (!campaign) throw new ProblemError('not-found');
  return campaign;
}

/** A campaign read fresh (not from the 2 s cache), for writes that check its demands. */
async function freshCampaignOf(c: AdminContext, slug: string): Promise<CampaignRecord> {
  c.var.services.campaigns.invalidate();
  return campaignOf(c, slug);
}

function linkView(row: typeof responseLinks.$inferSelect) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    targetId: row.targetId,
    createdAt: iso(row.createdAt)!,
    expiresAt: iso(row.expiresAt)!,
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

export function accountabilityAdminRouter() {
  const read = campaignerGuard('campaigns:read');
  const write = campaignerGuard('accountability:write');

  const listTargetsRoute = createRoute({
    method: 'get',
    path: '/admin/targets',
    tags,
    security,
    summary: 'Every target (duty bearer); private contacts are never returned',
    middleware: [read] as const,
    responses: { 200: { description: 'Targets', ...json(z.object({ targets: z.array(AdminTargetSchema) })) }, ...problemResponses(403, 404) },
  });
  const createTargetRoute = createRoute({
    method: 'post',
    path: '/admin/targets',
    tags,
    security,
    summary: 'Create a target (duty bearer)',
    middleware: [write, requireJson] as const,
    request: body(TargetInputSchema),
    responses: { 201: { description: 'Created', ...json(AdminTargetSchema) }, ...problemResponses(403, 404, 415, 422) },
  });
  const getTargetRoute = createRoute({
    method: 'get',
    path: '/admin/targets/{targetId}',
    tags,
    security,
    summary: 'One target',
    middleware: [read] as const,
    request: { params: targetParam },
    responses: { 200: { description: 'The target', ...json(AdminTargetSchema) }, ...problemResponses(403, 404) },
  });
  const patchTargetRoute = createRoute({
    method: 'patch',
    path: '/admin/targets/{targetId}',
    tags,
    security,
    summary: 'Edit a target (any subset of fields; `deliveryContact: null` erases the private contact)',
    middleware: [write, requireJson] as const,
    request: { params: targetParam, ...body(TargetPatchSchema) },
    responses: { 200: { description: 'The edited target', ...json(AdminTargetSchema) }, ...problemResponses(403, 404, 415, 422) },
  });
  const listAsksRoute = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/asks',
    tags,
    security,
    summary: "The campaign's asks (target, demands, dates), each with whether it was answered and whether it is overdue",
    description: 'Overdue as on the public board: asked, past the due date in Africa/Nairobi time, no response on any asked demand. Drafts too.',
    middleware: [read] as const,
    request: { params: slugParam },
    responses: { 200: { description: 'Asks', ...json(z.object({ asks: z.array(AskStatusSchema) })) }, ...problemResponses(403, 404) },
  });
  const putAskRoute = createRoute({
    method: 'put',
    path: '/admin/campaigns/{slug}/asks/{targetId}',
    tags,
    security,
    summary: 'Ask a target for some or all demands, with the asked-on and response-due dates (creates or replaces the ask)',
    middleware: [write, requireJson] as const,
    request: { params: slugParam.extend(targetParam.shape), ...body(AskInputSchema) },
    responses: {
      200: { description: 'Ask replaced', ...json(AskSchema) },
      201: { description: 'Ask created', ...json(AskSchema) },
      ...problemResponses(403, 404, 415, 422),
    },
  });
  const postPositionRoute = createRoute({
    method: 'post',
    path: '/admin/campaigns/{slug}/positions',
    tags,
    security,
    summary: "Record a target's position (recordedBy `campaign`), e.g. from a letter or a public statement",
    description:
      'Appends one entry per demand; nothing is ever edited. A correction is a new entry. `delivered` and `broken` need an earlier `committed` on that demand. The target must have been asked.',
    middleware: [write, requireJson] as const,
    request: { params: slugParam, ...body(PositionInputSchema) },
    responses: { 201: { description: 'Entries appended', ...json(z.object({ entries: z.array(z.string()) })) }, ...problemResponses(403, 404, 415, 422) },
  });
  const postMilestoneRoute = createRoute({
    method: 'post',
    path: '/admin/campaigns/{slug}/milestones',
    tags,
    security,
    summary: 'Add a milestone; one already below the count is marked reached at the time it is added',
    middleware: [write, requireJson] as const,
    request: { params: slugParam, ...body(MilestoneInputSchema) },
    responses: { 201: { description: 'Added', ...json(MilestoneSchema) }, ...problemResponses(403, 404, 415, 422) },
  });
  const postDeliveryRoute = createRoute({
    method: 'post',
    path: '/admin/campaigns/{slug}/deliveries',
    tags,
    security,
    summary: 'Record that a signature pack was delivered to a target (date, channel, count, manifest SHA-256); optionally e-mail it the cover and a response link',
    description:
      "Appends a delivery to the target's public history (the campaign asking it, with the count and hash as evidence); a target not yet asked is asked for every demand on the delivery date. " +
      '`email: true` queues the cover text and a new response link to the target’s e-mail contact (the private delivery contact, else the public one); 422 on `email` when it has none. ' +
      'Audited as `delivery.recorded` with subject `manifest:<hex>`, the subject of the export’s own audit entry.',
    middleware: [write, requireJson] as const,
    request: { params: slugParam, ...body(DeliveryInputSchema) },
    responses: { 201: { description: 'Recorded', ...json(DeliveryRecordSchema) }, ...problemResponses(403, 404, 415, 422) },
  });
  const deleteMilestoneRoute = createRoute({
    method: 'delete',
    path: '/admin/campaigns/{slug}/milestones/{threshold}',
    tags,
    security,
    summary: 'Remove a milestone',
    middleware: [write] as const,
    request: { params: slugParam.extend({ threshold: z.coerce.number().int().min(1) }) },
    responses: { 204: { description: 'Removed' }, ...problemResponses(403, 404) },
  });
  const getMilestonesRoute = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/milestones',
    tags,
    security,
    summary: "A campaign's milestones, lowest first, drafts too: when each was reached, and the step towards a duty bearer it calls for",
    middleware: [read] as const,
    request: { params: slugParam },
    responses: { 200: { description: 'The milestones', ...json(z.object({ milestones: z.array(MilestoneSchema) })) }, ...problemResponses(403, 404) },
  });
  const getDemandsRoute = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/demands',
    tags,
    security,
    summary: "A campaign's demands, drafts too (what a target can be asked for)",
    middleware: [read] as const,
    request: { params: slugParam },
    responses: { 200: { description: 'The demands', ...json(z.object({ demands: z.array(DemandSchema) })) }, ...problemResponses(403, 404) },
  });
  const putDemandsRoute = createRoute({
    method: 'put',
    path: '/admin/campaigns/{slug}/demands',
    tags,
    security,
    summary: "Replace a campaign's demands (keep by id to re-word or re-order; a demand asked for or with positions cannot be removed)",
    middleware: [write, requireJson] as const,
    request: { params: slugParam, ...body(DemandsInputSchema) },
    responses: { 200: { description: 'The demands now', ...json(z.object({ demands: z.array(DemandSchema) })) }, ...problemResponses(403, 404, 415, 422) },
  });
  const postLinkRoute = createRoute({
    method: 'post',
    path: '/admin/campaigns/{slug}/response-links',
    tags,
    security,
    summary: 'Issue a response link for one asked target (shown once; expires after `ttlDays`, default 30)',
    middleware: [write, requireJson] as const,
    request: { params: slugParam, ...body(ResponseLinkInputSchema) },
    responses: { 201: { description: 'The link, with its URL (only this once)', ...json(IssuedResponseLinkSchema) }, ...problemResponses(403, 404, 415, 422) },
  });
  const listLinksRoute = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/response-links',
    tags,
    security,
    summary: "The campaign's response links (never their tokens)",
    middleware: [read] as const,
    request: { params: slugParam },
    responses: { 200: { description: 'Links', ...json(z.object({ links: z.array(ResponseLinkSchema) })) }, ...problemResponses(403, 404) },
  });
  const revokeLinkRoute = createRoute({
    method: 'delete',
    path: '/admin/campaigns/{slug}/response-links/{linkId}',
    tags,
    security,
    summary: 'Revoke a response link (it stops working at once; its record is kept)',
    middleware: [write] as const,
    request: { params: slugParam.extend({ linkId: z.string().max(64) }) },
    responses: { 204: { description: 'Revoked' }, ...problemResponses(403, 404) },
  });

  return createRouter()
    .openapi(listTargetsRoute, async (c) => {
      const rows = await listTargets(c.var.services.db);
      return c.json({ targets: rows.map(adminTarget) }, 200, noStore);
    })
    .openapi(createTargetRoute, async (c) => {
      const { db, crypto, clock } = c.var.services;
      const input = c.req.valid('json');
      const row = await createTarget(db, crypto, input, clock());
      await audit(c, { action: 'target.created', subject: row.id, details: { fields: Object.keys(input) } });
      return c.json(adminTarget(row), 201, noStore);
    })
    .openapi(getTargetRoute, async (c) => {
      const row = await findTarget(c.var.services.db, c.req.valid('param').targetId);
      if (!row) throw new ProblemError('not-found');
      return c.json(adminTarget(row), 200, noStore);
    })
    .openapi(patchTargetRoute, async (c) => {
      const { db, crypto, clock, accountability } = c.var.services;
      const current = await findTarget(db, c.req.valid('param').targetId);
      if (!current) throw new ProblemError('not-found');
      const { row, fields } = await updateTarget(db, crypto, current, c.req.valid('json'), clock());
      if (fields.length) {
        accountability.invalidate();
        await audit(c, { action: 'target.updated', subject: row.id, details: { fields } });
      }
      return c.json(adminTarget(row), 200, noStore);
    })
    .openapi(listAsksRoute, async (c) => {
      const { db } = c.var.services;
      const campaign = await campaignOf(c, c.req.valid('param').slug);
      const asks = await db.orm.select().from(campaignAsks).where(eq(campaignAsks.campaignId, campaign.id)).orderBy(asc(campaignAsks.createdAt));
      const covered = await db.orm.select().from(campaignAskDemands);
      // The board's own reckoning, so that the console and the public board never disagree on who is late.
      const board = new Map((await c.var.services.accountability.view(campaign)).body.targets.map((target) => [target.id, target]));
      return c.json(
        {
          asks: asks.map((a) => {
            const demandIds = covered.filter((d) => d.askId === a.id).map((d) => d.demandId);
            const onBoard = board.get(a.targetId);
            return {
              targetId: a.targetId,
              demandIds,
              askedOn: a.askedOn,
              dueOn: a.dueOn,
              responded: Boolean(onBoard?.positions.some((p) => demandIds.includes(p.demandId) && p.history.length > 0)),
              overdue: onBoard?.overdue ?? false,
              daysOverdue: onBoard?.daysOverdue ?? null,
            };
          }),
        },
        200,
        noStore,
      );
    })
    .openapi(putAskRoute, async (c) => {
      const { db, clock, accountability } = c.var.services;
      const { slug, targetId } = c.req.valid('param');
      const campaign = await freshCampaignOf(c, slug);
      if (!(await findTarget(db, targetId))) throw new ProblemError('not-found');
      const { ask, created } = await putAsk(db, campaign, targetId, c.req.valid('json'), clock());
      accountability.invalidate(campaign.id);
      await audit(c, {
        action: created ? 'ask.created' : 'ask.updated',
        campaignId: campaign.id,
        subject: targetId,
        details: { demandIds: ask.demandIds, askedOn: ask.askedOn, dueOn: ask.dueOn },
      });
      return c.json(ask, created ? 201 : 200, noStore);
    })
    .openapi(postPositionRoute, async (c) => {
      const { db, clock, accountability } = c.var.services;
      const campaign = await freshCampaignOf(c, c.req.valid('param').slug);
      const input = c.req.valid('json');
      const ask = await findAsk(db, campaign.id, input.targetId);
      if (!ask) throw validationProblem([fieldError('targetId', 'invalid')]);
      const demandIds = input.demandIds === 'all-asked' ? ask.demandIds : [...new Set(input.demandIds)];
      const known = new Set(campaign.demands.map((d) => d.id));
      if (demandIds.some((id) => !known.has(id))) throw validationProblem([fieldError('demandIds', 'invalid')]);
      const now = clock();
      const ids = await appendEntries(db, {
        campaignId: campaign.id,
        targetId: input.targetId,
        entries: demandIds.map((demandId) => ({
          demandId,
          status: input.status,
          statement: input.statement ?? null,
          statementSw: input.statementSw ?? null,
          evidenceUrl: input.evidenceUrl ?? null,
        })),
        recordedBy: 'campaign',
        actor: c.var.actor.id,
        now,
        errorPath: () => 'status',
        audit: (entries) => ({
          actor: c.var.actor,
          at: now,
          action: 'position.recorded',
          campaignId: campaign.id,
          subject: input.targetId,
          rowCount: entries.length,
          details: { status: input.status, demandIds, entries, evidence: Boolean(input.evidenceUrl) },
        }),
      });
      accountability.invalidate(campaign.id);
      return c.json({ entries: ids }, 201, noStore);
    })
    .openapi(postMilestoneRoute, async (c) => {
      const { db, clock, counts, accountability, milestones, outbox } = c.var.services;
      const campaign = await campaignOf(c, c.req.valid('param').slug);
      const now = clock();
      const { id, step, ...milestone } = await addMilestone(db, campaign.id, c.req.valid('json'), counts.counted(campaign.id), now);
      // Already below the count: its step is due now, so the staff hear of it now.
      if (step && milestone.reachedAt !== null && milestones.promptsStaff) {
        await db.client.execute(staffPromptStatement(id, now, false));
        outbox.notify();
      }
      await milestones.load();
      accountability.invalidate(campaign.id);
      await audit(c, {
        action: 'milestone.created',
        campaignId: campaign.id,
        subject: String(milestone.threshold),
        details: { backfilled: milestone.reachedAt !== null, ...(step ? { targetId: step.targetId, step: step.step } : {}) },
      });
      const reachedAt = milestone.reachedAt === null ? null : new Date(milestone.reachedAt).toISOString();
      return c.json({ ...milestone, reachedAt, step: step && { ...step, due: milestone.reachedAt !== null } }, 201, noStore);
    })
    .openapi(postDeliveryRoute, async (c) => {
      const { db, crypto, clock, accountability, outbox } = c.var.services;
      const campaign = await freshCampaignOf(c, c.req.valid('param').slug);
      const delivery = await recordDelivery(db, crypto, campaign, c.req.valid('json'), { actor: c.var.actor, now: clock() });
      accountability.invalidate(campaign.id);
      if (delivery.emailed) outbox.notify();
      return c.json(delivery, 201, noStore);
    })
    .openapi(deleteMilestoneRoute, async (c) => {
      const { db, accountability, milestones } = c.var.services;
      const { slug, threshold } = c.req.valid('param');
      const campaign = await campaignOf(c, slug);
      if (!(await deleteMilestone(db, campaign.id, threshold))) throw new ProblemError('not-found');
      await milestones.load();
      accountability.invalidate(campaign.id);
      await audit(c, { action: 'milestone.deleted', campaignId: campaign.id, subject: String(threshold) });
      return c.body(null, 204, noStore);
    })
    .openapi(getMilestonesRoute, async (c) => {
      const campaign = await campaignOf(c, c.req.valid('param').slug);
      const board = await loadBoard(c.var.services.db.orm, campaign.id);
      return c.json(
        {
          milestones: board.milestones.map((m) => ({
            threshold: m.threshold,
            label: m.label,
            reachedAt: m.reachedAt === null ? null : new Date(m.reachedAt).toISOString(),
            step: m.step && { ...m.step, due: stepDue(board, m) },
          })),
        },
        200,
        noStore,
      );
    })
    .openapi(getDemandsRoute, async (c) => {
      const campaign = await campaignOf(c, c.req.valid('param').slug);
      return c.json({ demands: campaign.demands }, 200, noStore);
    })
    .openapi(putDemandsRoute, async (c) => {
      const { db, clock, accountability, campaigns } = c.var.services;
      const { slug } = c.req.valid('param');
      const campaign = await freshCampaignOf(c, slug);
      const result = await replaceDemands(db, campaign, c.req.valid('json').demands, clock());
      campaigns.invalidate();
      accountability.invalidate(campaign.id);
      await audit(c, { action: 'demands.replaced', campaignId: campaign.id, details: result });
      const updated = await campaignOf(c, slug);
      return c.json({ demands: updated.demands }, 200, noStore);
    })
    .openapi(postLinkRoute, async (c) => {
      const { db, clock, publicBaseUrl } = c.var.services;
      const campaign = await campaignOf(c, c.req.valid('param').slug);
      const { targetId, ttlDays } = c.req.valid('json');
      // A link is for a target the campaign asked: the page lists what it was asked for.
      if (!(await findAsk(db, campaign.id, targetId))) throw validationProblem([fieldError('targetId', 'invalid')]);
      const now = clock();
      const issued = await issueResponseLink(db, { campaignId: campaign.id, targetId, createdBy: c.var.actor.id, now, ttlDays });
      // A link asks for a response: it can take a milestone's `ask_response` step.
      c.var.services.accountability.invalidate(campaign.id);
      await audit(c, { action: 'response_link.issued', campaignId: campaign.id, subject: issued.id, details: { targetId, ttlDays } });
      return c.json(
        {
          id: issued.id,
          targetId,
          createdAt: new Date(now).toISOString(),
          expiresAt: new Date(issued.expiresAt).toISOString(),
          revokedAt: null,
          lastUsedAt: null,
          url: `${publicBaseUrl().replace(/\/$/, '')}/r/${issued.token}`,
        },
        201,
        noStore,
      );
    })
    .openapi(listLinksRoute, async (c) => {
      const campaign = await campaignOf(c, c.req.valid('param').slug);
      const rows = await c.var.services.db.orm
        .select()
        .from(responseLinks)
        .where(and(eq(responseLinks.campaignId, campaign.id)))
        .orderBy(asc(responseLinks.createdAt));
      return c.json({ links: rows.map(linkView) }, 200, noStore);
    })
    .openapi(revokeLinkRoute, async (c) => {
      const { db, clock } = c.var.services;
      const { slug, linkId } = c.req.valid('param');
      const campaign = await campaignOf(c, slug);
      if (!(await revokeResponseLink(db, campaign.id, linkId, clock()))) throw new ProblemError('not-found');
      await audit(c, { action: 'response_link.revoked', campaignId: campaign.id, subject: linkId });
      return c.body(null, 204, noStore);
    });
}
