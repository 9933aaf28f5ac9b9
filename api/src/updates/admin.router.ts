/**
 * Campaigner routes for updates to supporters (scope `campaigns:read`): the campaign's settings and what
 * each event reached (`GET /admin/campaigns/{slug}/updates`), and a preview of the messages of one kind of
 * event (`GET …/updates/preview?event=`). The settings themselves are part of the campaign document
 * (`updates`, PUT /admin/campaigns/{slug}).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { SlugSchema } from '@imlu/contracts';
import { requireScope } from '../auth/require-scope.ts';
import { adminSecurity } from '../auth/tokens.router.ts';
import type { ConfirmationTokens } from '../confirm/token.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';
import { RECORDABLE_STATUSES } from '../accountability/schemas.ts';
import { previewUpdate } from './preview.ts';
import { updatesReport } from './report.ts';
import { campaignForUpdates } from './send.ts';
import { UPDATE_EVENTS, UpdateSettingsSchema } from './settings.ts';

const SmsPreviewSchema = z.object({
  text: z.string(),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  characters: z.number().int().meta({ description: 'GSM-7 septets or UCS-2 units' }),
  segments: z.number().int().meta({ description: 'SMS segments the text takes (1 where possible)' }),
});
const MessagesSchema = z.object({ sms: SmsPreviewSchema, email: z.object({ subject: z.string(), text: z.string() }) });
const PreviewSchema = z
  .object({
    event: z.enum(UPDATE_EVENTS),
    enabled: z.boolean().meta({ description: 'Whether the campaign sends this kind of update now' }),
    sample: z.boolean().meta({ description: 'True when the example is made up: the campaign has no data of its own for it yet' }),
    messages: z.object({ en: MessagesSchema, sw: MessagesSchema }),
  })
  .meta({ id: 'UpdatePreview' });
const ReportSchema = z
  .object({
    settings: UpdateSettingsSchema,
    events: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(UPDATE_EVENTS),
        key: z.string(),
        createdAt: z.iso.datetime(),
        status: z.enum(['fanning', 'done']),
        doneAt: z.iso.datetime().nullable(),
        eligible: z.number().int(),
        queued: z.number().int(),
        skipped: z.number().int().meta({ description: 'Not queued: the contact had an update within 24 hours, or shares a phone with another name' }),
        messages: z.object({ pending: z.number().int(), sent: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
      }),
    ),
  })
  .meta({ id: 'UpdatesReport' });

export function updatesAdminRouter(options: { unsubscribe: ConfirmationTokens; replyStop: boolean }) {
  const slugParam = z.object({ slug: SlugSchema });
  const report = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/updates',
    tags: ['admin'],
    summary: "A campaign's update settings and its latest 50 events: signers reached, skipped by the throttle, messages sent and failed",
    security: adminSecurity,
    middleware: [requireScope('campaigns:read')] as const,
    request: { params: slugParam },
    responses: { 200: { description: 'Settings and events, newest first', content: { 'application/json': { schema: ReportSchema } } }, ...problemResponses(403, 404) },
  });
  const preview = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/updates/preview',
    tags: ['admin'],
    summary: 'Preview the SMS (with its segment count) and the e-mail of one kind of update, in English and Kiswahili',
    security: adminSecurity,
    middleware: [requireScope('campaigns:read')] as const,
    request: {
      params: slugParam,
      query: z.object({
        event: z.enum(UPDATE_EVENTS),
        target: z.string().max(64).optional().meta({ description: 'position: this target (id); default the latest change, else the asked target with the longest name' }),
        status: z.enum(RECORDABLE_STATUSES).optional().meta({ description: 'position: this status' }),
        threshold: z.coerce.number().int().min(1).optional().meta({ description: 'milestone: this threshold; default the next one' }),
      }),
    },
    responses: { 200: { description: 'The messages', content: { 'application/json': { schema: PreviewSchema } } }, ...problemResponses(403, 404, 422) },
  });

  return createRouter()
    .openapi(report, async (c) => {
      const campaign = await c.var.services.campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      return c.json(await updatesReport(c.var.services.db.client, campaign.id), 200, { 'Cache-Control': 'no-store' });
    })
    .openapi(preview, async (c) => {
      const { db, publicBaseUrl } = c.var.services;
      const slug = c.req.valid('param').slug;
      const query = c.req.valid('query');
      const campaign = await campaignForUpdates(db.client, slug);
      if (!campaign) throw new ProblemError('not-found');
      const result = await previewUpdate(
        { client: db.client, publicBaseUrl, unsubscribe: options.unsubscribe, replyStop: options.replyStop },
        campaign,
        query.event,
        { targetId: query.target, status: query.status, threshold: query.threshold },
      );
      return c.json(result, 200, { 'Cache-Control': 'no-store' });
    });
}
