/**
 * `GET /admin/campaigns/{slug}/export`: one export file, streamed (scope `signatures:export`).
 *
 * The response starts at once and is produced page by page as the client reads (`Readable.toWeb` carries
 * the backpressure), with `Content-Disposition: attachment` and `Cache-Control: no-store` so no proxy or
 * browser cache keeps a signer list. The audit entry (with the filters and the number of rows) is written
 * before the first byte. The per-county split and the manifest belong to the CLI, which writes files.
 */
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { CountyCodeSchema, SlugSchema } from '@imlu/contracts';
import { recordAudit } from '../audit/audit.ts';
import { requireScope } from '../auth/require-scope.ts';
import { adminSecurity } from '../auth/tokens.router.ts';
import { FromBoundSchema, ToBoundSchema } from '../http/date-schemas.ts';
import { parseDateBound } from '../http/dates.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import type { Db } from '../db/client.ts';
import { defaultPending, packTarget, PENDING_MODES, type PackOptions, type PackTarget } from './pack-cover.ts';
import { describeFilter, jurisdictionFilter, summarise } from './query.ts';
import { CONTENT_TYPES, EXPORT_FORMATS, exportFileName, exportStream } from './run.ts';

/** The query of an export and of a delivery pack (pack.router.ts): what is exported, in which file format. */
export const ExportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  county: CountyCodeSchema.optional(),
  jurisdiction: z.string().min(1).max(100).optional().meta({
    description: "A target's id: only signers in its jurisdiction (its county for a county body; everyone for a national one). Not with `county`.",
  }),
  from: FromBoundSchema.optional(),
  to: ToBoundSchema.optional(),
  verifiedOnly: z.enum(['true', 'false']).default('false').meta({ description: 'Only counted (confirmed) signatures' }),
  locale: z.enum(['en', 'sw']).default('en'),
  includeContacts: z.enum(['true', 'false']).default('false'),
  pending: z.enum(PENDING_MODES).optional().meta({
    description: 'Signatures not yet confirmed: left out (`exclude`, as `verifiedOnly`), or listed and marked (`mark`). Default: `exclude` for a PDF, `mark` for CSV and JSON.',
  }),
  addressee: z.string().min(1).max(100).optional().meta({
    description: "PDF only: a target's id (the accountability board's duty bearers); its name, office and institution head the pack's cover.",
  }),
});

export type ExportQuery = z.infer<typeof ExportQuerySchema>;

/**
 * The query's filters, checked against each other and against the database (a target named must exist):
 * a combination that cannot be meant is a field error, never silently ignored.
 */
export async function resolveExportQuery(db: Db, q: ExportQuery) {
  let county = q.county;
  let jurisdiction: string | undefined;
  const pending = q.pending ?? defaultPending(q.format);
  if (q.verifiedOnly === 'true' && q.pending === 'mark') throw validationProblem([fieldError('pending', 'invalid')]);
  if (q.addressee !== undefined && q.format !== 'pdf') throw validationProblem([fieldError('addressee', 'invalid')]);
  const addressee = q.addressee === undefined ? undefined : await packTarget(db, q.addressee);
  if (q.addressee !== undefined && !addressee) throw validationProblem([fieldError('addressee', 'invalid')]);
  let jurisdictionTarget: PackTarget | undefined;
  if (q.jurisdiction) {
    if (q.county) throw validationProblem([fieldError('jurisdiction', 'invalid')]);
    const found = await jurisdictionFilter(db, q.jurisdiction);
    if (!found) throw validationProblem([fieldError('jurisdiction', 'invalid')]);
    county = found.county ?? undefined;
    jurisdiction = `${found.targetId} (${found.level === 'county' ? found.county : 'national'})`;
    jurisdictionTarget = q.format === 'pdf' ? await packTarget(db, q.jurisdiction) : undefined;
  }
  const filter = {
    county,
    jurisdiction,
    from: q.from ? parseDateBound(q.from) : undefined,
    to: q.to ? parseDateBound(q.to, true) : undefined,
    verifiedOnly: q.verifiedOnly === 'true' || pending === 'exclude',
  };
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) throw validationProblem([fieldError('to', 'invalid')]);
  // A pack printed for an official never carries contacts: asking for them is a mistake to say, not ignore.
  if (q.includeContacts === 'true' && q.format === 'pdf') throw validationProblem([fieldError('includeContacts', 'invalid')]);
  return { filter, county, includeContacts: q.includeContacts === 'true', pack: { to: addressee, jurisdiction: jurisdictionTarget } satisfies PackOptions };
}

export function exportsRouter() {
  const route = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/export',
    tags: ['admin'],
    summary: 'Export signatures as CSV, xlsx, OSDI JSON or a PDF delivery pack, streamed',
    description:
      'Invalid, suspect and struck-out signatures are never exported. A signer who did not agree to share their name with the targets appears as "Signatory, <county>". ' +
      'Contacts (`includeContacts`, CSV, xlsx and JSON; never in a PDF) are added only for signers who agreed to share with the targets.',
    security: adminSecurity,
    middleware: [requireScope('signatures:export')] as const,
    request: {
      params: z.object({ slug: SlugSchema }),
      query: ExportQuerySchema,
    },
    responses: {
      200: {
        description: 'The file, as an attachment',
        content: {
          'text/csv': { schema: z.string().meta({ description: 'RFC 4180, UTF-8 with BOM, CRLF' }) },
          'application/json': {
            schema: z.record(z.string(), z.unknown()).meta({ description: 'An OSDI collection of signatures (`_embedded["osdi:signatures"]`), see docs/exports.md' }),
          },
          'application/pdf': { schema: z.string().meta({ format: 'binary' }) },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) },
        },
      },
      ...problemResponses(403, 404, 422),
    },
  });

  return createRouter().openapi(route, async (c) => {
    const { db, crypto, campaigns, clock } = c.var.services;
    const campaign = await campaigns.findBySlug(c.req.valid('param').slug);
    if (!campaign) throw new ProblemError('not-found');
    const q = c.req.valid('query');
    const { filter, county, includeContacts, pack } = await resolveExportQuery(db, q);
    const now = clock();
    const summary = await summarise(db, { ...filter, campaignId: campaign.id });
    await recordAudit(db.orm, {
      actor: c.var.actor,
      action: 'export.created',
      campaignId: campaign.id,
      subject: `http:${q.format}`,
      rowCount: summary.total,
      at: now,
      details: { destination: 'http', format: q.format, locale: q.locale, filters: describeFilter({ ...filter, campaignId: campaign.id }), includeContacts },
    });
    const name = exportFileName(campaign, q.format, now, county);
    const stream = await exportStream(
      db,
      crypto,
      { campaign, format: q.format, filter, locale: q.locale, includeContacts, pack },
      summary,
      { generatedAt: now, fileName: name },
    );
    // Through a byte stream: the JSON writer yields strings, and a web stream body must carry bytes.
    // pipeline() carries an error either way: a failing export aborts the response, a reader going away
    // stops the export.
    const bytes = new PassThrough();
    pipeline(stream, bytes, () => {});
    return c.body(Readable.toWeb(bytes) as ReadableStream, 200, {
      'Content-Type': CONTENT_TYPES[q.format],
      'Content-Disposition': `attachment; filename="${name}"`,
      // `no-transform`: the compression middleware reads a body whole before compressing it, and an export
      // is streamed so that its memory stays flat however many rows it has; a proxy must not alter the bytes
      // either (a pack's manifest checksums them).
      'Cache-Control': 'no-store, no-transform',
      'X-Export-Rows': String(summary.total),
    });
  });
}
