/**
 * The signed delivery pack over HTTP, for the console (scope `signatures:export`):
 *
 * - `GET /admin/campaigns/{slug}/pack`: the same pack `imlu export --zip` writes (the export file,
 *   `manifest.json`, `signature.json`, `SHA256SUMS`, in one folder inside a zip), made by the same code
 *   (`exportToDirectory`), so it verifies the same way and its `export.created` audit entry names its
 *   manifest, with the staff member as the actor. The manifest holds every file's SHA-256, so the file is
 *   written before the zip can start: it is made in a private temporary folder (0700, like DATA_DIR's
 *   exports), streamed out with its length known, and deleted when the download ends or is abandoned.
 * - `POST /admin/exports/verify`: a pack's zip as the body; the checks of `imlu export verify` (pack-check.ts)
 *   on a private temporary copy, deleted at once. It answers valid or not with the reasons, and stores nothing.
 *
 * Everything that says what is exported travels in the query (filters, no personal data) or the body.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { createRoute, z } from '@hono/zod-openapi';
import { SlugSchema } from '@imlu/contracts';
import { requireScope } from '../auth/require-scope.ts';
import { adminSecurity } from '../auth/tokens.router.ts';
import { limitBody } from '../http/body-limit.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { ExportQuerySchema, resolveExportQuery } from './exports.router.ts';
import { openPack, PackOpenError } from './pack.ts';
import { verifyPackWithDatabase } from './pack-check.ts';
import { EXPORT_FORMATS, exportFileName, exportToDirectory } from './run.ts';
import { currentSigningKeyId } from './signing-key.ts';

/**
 * The largest pack the console checks. A PDF pack of 100,000 names is about 15 MB; a CSV of a million
 * rows is about 60 MB before the zip compresses it. Larger packs are checked with `imlu export verify`.
 */
export const MAX_VERIFY_BYTES = 64 * 1024 * 1024;

/** What a browser calls a zip (`File.type` differs by system), or plain bytes. */
const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'];

const SIGNATURE_STATUSES = ['valid', 'invalid', 'unknown-key', 'not-signed'] as const;

export const PackVerificationSchema = z
  .object({
    valid: z.boolean().meta({ description: 'Every check passed: the pack is as we made it, signed with a key of ours, and its export is in the audit log' }),
    readable: z.boolean().meta({ description: 'The body is a zip that could be opened; when false, no other check could run' }),
    files: z.object({ ok: z.boolean(), checked: z.number().int() }).meta({ description: 'Every file against manifest.json' }),
    sums: z.object({ ok: z.boolean() }).meta({ description: 'SHA256SUMS against every file' }),
    signature: z.object({
      status: z.enum(SIGNATURE_STATUSES),
      keyId: z.string().nullable(),
      retiredBefore: z.boolean().meta({ description: 'The key was retired before the pack was made: the pack does not pass' }),
    }),
    audit: z
      .object({ at: z.string(), actorName: z.string(), rowCount: z.number().int() })
      .nullable()
      .meta({ description: 'The export.created entry naming this manifest (who made the pack, when, how many rows); null when none does' }),
    manifest: z
      .object({ campaign: z.string(), format: z.string(), locale: z.string(), totalRows: z.number().int(), generatedAt: z.string() })
      .nullable(),
    problems: z.array(z.string()).meta({ description: 'What failed, in plain English (file names and checks; never personal data)' }),
  })
  .openapi('PackVerification');

export type PackVerificationAnswer = z.infer<typeof PackVerificationSchema>;

export function packRouter() {
  const packRoute = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/pack',
    tags: ['admin'],
    summary: 'A signed delivery pack (zip: the export file, manifest.json, signature.json, SHA256SUMS), as `imlu export --zip` writes it',
    description:
      'The same rows, filters and rules as `GET /admin/campaigns/{slug}/export` (default format: PDF). The pack is made whole before the first byte ' +
      '(the manifest holds each file’s SHA-256), then sent with its `Content-Length`; `X-Export-Rows` says how many rows it holds. ' +
      'Audited as `export.created` with the manifest’s SHA-256, which `imlu export verify` and `POST /admin/exports/verify` look for. ' +
      'Refused with 503 `unavailable` while no signing key exists (`imlu keys signing create`): an unsigned pack proves nothing.',
    security: adminSecurity,
    middleware: [requireScope('signatures:export')] as const,
    request: {
      params: z.object({ slug: SlugSchema }),
      query: ExportQuerySchema.extend({ format: z.enum(EXPORT_FORMATS).default('pdf') }),
    },
    responses: {
      200: {
        description: 'The pack, as an attachment',
        headers: {
          'X-Export-Rows': { schema: { type: 'string' as const }, description: 'Rows in the pack' },
          'Content-Length': { schema: { type: 'string' as const }, description: 'Bytes of the zip' },
        },
        content: { 'application/zip': { schema: z.string().meta({ format: 'binary' }) } },
      },
      ...problemResponses(403, 404, 422, 503),
    },
  });

  const verifyRoute = createRoute({
    method: 'post',
    path: '/admin/exports/verify',
    tags: ['admin'],
    summary: 'Verify a delivery pack (its zip as the body), as `imlu export verify` does; stores nothing',
    description:
      `Every file against manifest.json, SHA256SUMS, the Ed25519 signature with this organisation's keys (a key retired before the pack was made fails), ` +
      `and the export.created audit entry naming the manifest. The body is the zip (\`application/zip\` or \`application/octet-stream\`), at most ` +
      `${MAX_VERIFY_BYTES / 1024 / 1024} MB (413 beyond). A body that is not a zip is answered \`valid: false, readable: false\`.`,
    security: adminSecurity,
    middleware: [requireScope('signatures:export'), limitBody(MAX_VERIFY_BYTES)] as const,
    request: {},
    responses: {
      200: { description: 'The result', content: { 'application/json': { schema: PackVerificationSchema } } },
      ...problemResponses(403, 404, 413, 415, 422),
    },
  });

  return createRouter()
    .openapi(packRoute, async (c) => {
      const { db, crypto, campaigns, clock } = c.var.services;
      const campaign = await campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      const q = c.req.valid('query');
      const { filter, includeContacts, pack } = await resolveExportQuery(db, q);
      if (!(await currentSigningKeyId(db.orm))) {
        throw new ProblemError('unavailable', { detail: 'No signing key exists yet: an administrator creates one with `imlu keys signing create`.' });
      }
      const now = clock();
      const folder = exportFileName(campaign, q.format, now).replace(/\.\w+$/, `-${q.format}`);
      // mkdtemp makes the folder 0700: the pack's names are readable by this process's user alone.
      const work = await mkdtemp(path.join(tmpdir(), 'imlu-pack-'));
      const cleanup = () => void rm(work, { recursive: true, force: true });
      let zipPath: string;
      let rows: number;
      try {
        const made = await exportToDirectory(
          db,
          crypto,
          { campaign, format: q.format, filter, locale: q.locale, includeContacts, pack },
          { dir: path.join(work, folder), actor: c.var.actor, now, zip: true, destination: 'http-pack' },
        );
        zipPath = made.zipPath!;
        rows = made.manifest.totalRows;
      } catch (error) {
        cleanup();
        throw error;
      }
      const { size } = await stat(zipPath);
      const file = createReadStream(zipPath);
      // 'close' comes after the last byte was read, or when the client went away and the stream was destroyed.
      file.once('close', cleanup);
      return c.body(Readable.toWeb(file) as ReadableStream, 200, {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${folder}.zip"`,
        'Content-Length': String(size),
        // As the export: no cache keeps a signer list, and nothing may alter the bytes the manifest checksums.
        'Cache-Control': 'no-store, no-transform',
        'X-Export-Rows': String(rows),
      });
    })
    .openapi(verifyRoute, async (c) => {
      const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!ZIP_TYPES.includes(type)) throw new ProblemError('unsupported-media-type', { detail: 'Send the pack’s zip as application/zip or application/octet-stream.' });
      const body = c.req.raw.body;
      if (!body) throw validationProblem([fieldError('body', 'required')]);
      const work = await mkdtemp(path.join(tmpdir(), 'imlu-verify-'));
      try {
        const file = path.join(work, 'pack.zip');
        await pipeline(Readable.fromWeb(body as WebReadableStream), createWriteStream(file, { mode: 0o600, flags: 'wx' }));
        if ((await stat(file)).size === 0) throw validationProblem([fieldError('body', 'required')]);
        let source;
        try {
          source = await openPack(file);
        } catch (error) {
          if (!(error instanceof PackOpenError)) throw error;
          return c.json(unreadable(), 200);
        }
        try {
          let checked;
          try {
            checked = await verifyPackWithDatabase(c.var.services.db, source);
          } catch (error) {
            // A zip whose directory reads but whose data does not inflate (bytes changed inside it) is damaged,
            // which is an answer; a failing database is not, and goes the one error path.
            if ((error as Error).name === 'LibsqlError') throw error;
            return c.json(unreadable(), 200);
          }
          const { result, audit } = checked;
          const { files, sums, signature, manifest } = result;
          const problems = [...files.problems, ...sums.problems];
          if (signature.problem) problems.push(signature.problem);
          if (audit.retired) problems.push(audit.retired);
          if (!audit.entry) problems.push('no export.created entry in the audit log names this manifest: we have no record of making this pack');
          const answer: PackVerificationAnswer = {
            valid: result.ok,
            readable: true,
            files: { ok: files.ok, checked: files.checked },
            sums: { ok: sums.ok },
            signature: { status: signature.status, keyId: signature.keyId, retiredBefore: audit.retired !== null },
            audit: audit.entry ? { at: new Date(audit.entry.at).toISOString(), actorName: audit.entry.actorName, rowCount: audit.entry.rowCount } : null,
            manifest: manifest ? describeManifest(manifest) : null,
            problems: problems.map((p) => p.replaceAll(file, 'the zip')),
          };
          return c.json(answer, 200);
        } finally {
          source.close();
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
}

function unreadable(): PackVerificationAnswer {
  return {
    valid: false,
    readable: false,
    files: { ok: false, checked: 0 },
    sums: { ok: false },
    signature: { status: 'invalid', keyId: null, retiredBefore: false },
    audit: null,
    manifest: null,
    problems: ['the file is not a zip that can be read whole: not a delivery pack, or damaged'],
  };
}

/** The manifest's summary as it claims it (the checks say whether to believe it); a tampered one may hold anything. */
function describeManifest(manifest: object): PackVerificationAnswer['manifest'] {
  const m = manifest as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : '');
  const campaign = m['campaign'] && typeof m['campaign'] === 'object' ? text((m['campaign'] as Record<string, unknown>)['slug']) : '';
  const total = Number.isSafeInteger(m['totalRows']) ? (m['totalRows'] as number) : 0;
  return { campaign, format: text(m['format']), locale: text(m['locale']), totalRows: total, generatedAt: text(m['generatedAt']) };
}
