/**
 * `POST /admin/campaigns/{slug}/actions/{actionId}/attendance`: a campaigner records who was there, from
 * a sign-in sheet (src/pledges/attendance.ts). Scope `accountability:write`: like a recorded position, it
 * moves a public figure of the accountability board. Audited as `pledge.attendance` with the numbers only.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { SlugSchema } from '@imlu/contracts';
import { campaignerGuard } from '../accountability/guard.ts';
import { limitBody } from '../http/body-limit.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { fieldError, ProblemError } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { MAX_ATTENDANCE_CONTACTS, parseSheet, recordAttendance } from './attendance.ts';
import { readActionCounts } from './figures.ts';

const AttendanceInputSchema = z
  .strictObject({
    contacts: z
      .array(z.string().max(320))
      .min(1)
      .max(MAX_ATTENDANCE_CONTACTS)
      .meta({ description: 'Phone numbers (any common Kenyan form: 0712…, +254 712…, 254712…, 0110…) and/or e-mail addresses of the people who were there, one per person' }),
  })
  .meta({ id: 'AttendanceInput' });

const AttendanceResultSchema = z
  .object({
    matched: z.number().int().min(0).meta({ description: 'Contacts with a live pledge of this action' }),
    newlyKept: z.number().int().min(0).meta({ description: 'Pledges this sheet kept (the kept figure moved by this much)' }),
    alreadyKept: z.number().int().min(0).meta({ description: 'Matched pledges kept before (reported done, or on an earlier sheet): not counted again' }),
    notFound: z.number().int().min(0).meta({ description: 'Contacts without a live pledge of this action' }),
  })
  .meta({ id: 'AttendanceResult' });

const security: Record<string, string[]>[] = [{ adminToken: [] }, { consoleSession: [] }];

/** Field errors for at most this many bad entries: enough to find them in the sheet. */
const MAX_REPORTED = 20;

export function attendanceRouter() {
  const router = createRouter();
  const route = createRoute({
    method: 'post',
    path: '/admin/campaigns/{slug}/actions/{actionId}/attendance',
    tags: ['admin: accountability'],
    security,
    summary: "Record who was at a pledge action (a sign-in sheet): each one's pledge is kept once",
    description:
      'Matches the contacts through the blind index to the live pledges of this action and keeps each once (`kept_by` attendance): ' +
      'a person who already reported "done", or was on an earlier sheet, is counted in `alreadyKept` and not again. ' +
      'An entry that is neither a phone number nor an e-mail address is a 422 on `contacts.<index>`, and nothing is recorded. ' +
      'Audited as `pledge.attendance` with the action and the numbers, never a contact.',
    middleware: [campaignerGuard("accountability:write"), requireJson, limitBody(1024 * 1024)] as const,
    request: {
      params: z.object({ slug: SlugSchema, actionId: z.string().max(64) }),
      body: { required: true, content: { 'application/json': { schema: AttendanceInputSchema } } },
    },
    responses: {
      200: { description: 'Recorded', content: { 'application/json': { schema: AttendanceResultSchema } } },
      ...problemResponses(403, 404, 413, 415, 422),
    },
  });
  return router.openapi(route, async (c) => {
    const { db, crypto, clock, campaigns, counts } = c.var.services;
    const { slug, actionId } = c.req.valid('param');
    const campaign = await campaigns.findBySlug(slug);
    if (!campaign || !campaign.actions.some((a) => a.id === actionId)) throw new ProblemError('not-found');
    const { contacts, invalid } = parseSheet(c.req.valid('json').contacts);
    if (invalid.length) {
      throw new ProblemError('validation', {
        detail: `${invalid.length} entries are neither a phone number nor an e-mail address.`,
        errors: invalid.slice(0, MAX_REPORTED).map((i) => fieldError(`contacts.${i}`, 'invalid')),
      });
    }
    const result = await recordAttendance(db, crypto, campaign.id, actionId, contacts, c.var.actor, clock());
    if (result.newlyKept) counts.applyActions(await readActionCounts(db.client, campaign.id));
    return c.json(result, 200, { 'Cache-Control': 'no-store' });
  });
}
