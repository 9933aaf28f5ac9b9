/**
 * Running an export: to a directory (CLI), with one file or one file per county (for xlsx one workbook with
 * a sheet per county), a manifest and an audit entry; or as one stream (HTTP). Both read the database page by page and write with backpressure.
 *
 * The PDF code (pdfkit and its fonts) is imported only for a PDF, and exceljs only for an xlsx: they are
 * most of what an export would otherwise load, and a CSV or JSON export never needs them.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CountyCode, ExportFormat, Locale } from '@imlu/contracts';
import { auditInsert } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { CampaignRecord } from '../campaigns/store.ts';
import type { Db } from '../db/client.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { csvStream } from './csv.ts';
import { jsonStream } from './json.ts';
import { MANIFEST_FILE, type Manifest, type ManifestFile } from './manifest.ts';
import type { PackOptions } from './pack-cover.ts';
import { sealPack, zipPack, type PackSignature } from './pack.ts';
import { currentSigningKey } from './signing-key.ts';
import { packPledges, type PackPledge } from '../pledges/figures.ts';
import { describeFilter, exportPages, summarise, type ExportFilter, type ExportRecord, type ExportSummary, type PageOptions } from './query.ts';

export { EXPORT_FORMATS, type ExportFormat } from '@imlu/contracts';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const GENERATOR = 'imlu-campaign-sdk 0.1.0';

export interface ExportRequest {
  campaign: CampaignRecord;
  format: ExportFormat;
  filter: Omit<ExportFilter, 'campaignId'>;
  locale: Locale;
  /** Contacts of signers who consented to share with the targets; PDF packs never carry contacts. */
  includeContacts: boolean;
  pageSize?: number | undefined;
  onPage?: ((rows: number) => void) | undefined;
  /** Where pages are read (see reader.ts); the default suits the database. */
  reader?: PageOptions['reader'];
  /** The PDF cover's addressee and jurisdiction target. */
  pack?: PackOptions | undefined;
  /** A pledge campaign's figures as the pack states them (read once per pack); read here when absent. */
  pledges?: PackPledge[] | undefined;
}

/** One export as a byte stream. `onRows` sees how many records were just passed on to be written (progress). */
export async function exportStream(
  db: Db,
  crypto: FieldCrypto,
  request: ExportRequest,
  summary: ExportSummary,
  options: { generatedAt: number; onRows?: (rows: number) => void; /** The file's name, where it differs from the default. */ fileName?: string },
): Promise<Readable> {
  const filter: ExportFilter = { ...request.filter, campaignId: request.campaign.id };
  const includeContacts = request.includeContacts && request.format !== 'pdf';
  // A pledge campaign's rows say which actions each signer pledged (the PDF pack shows the figures instead).
  const includePledges = request.format !== 'pdf' && isPledgeWithActions(request.campaign);
  const source = exportPages(db, crypto, filter, {
    locale: request.locale,
    includeContacts,
    includePledges,
    includeReferrer: request.format === 'json',
    pageSize: request.pageSize,
    onPage: request.onPage,
    reader: request.reader,
  });
  const pages = options.onRows ? counting(source, options.onRows) : source;
  switch (request.format) {
    case 'csv':
      return csvStream(pages, { includeContacts, includePledges });
    case 'json':
      return jsonStream(pages, { campaignSlug: request.campaign.slug, self: options.fileName ?? exportFileName(request.campaign, 'json', options.generatedAt) });
    case 'xlsx': {
      const { sheetTitle, xlsxStream } = await import('./xlsx.ts');
      return xlsxStream([{ name: sheetTitle(filter.county, request.locale), pages }], { includeContacts, includePledges, generatedAt: options.generatedAt });
    }
    case 'pdf': {
      const { pdfStream } = await import('./pdf.ts');
      return pdfStream(records(pages), {
        campaign: request.campaign,
        summary,
        locale: request.locale,
        generatedAt: options.generatedAt,
        // What the cover says follows from the rows: with `verifiedOnly` there are no pending ones.
        pending: request.filter.verifiedOnly ? 'exclude' : 'mark',
        county: request.filter.county,
        pack: request.pack,
        pledges: request.pledges ?? (await packPledges(db.client, request.campaign)),
      });
    }
  }
}

function isPledgeWithActions(campaign: CampaignRecord): boolean {
  return campaign.kind === 'pledge' && campaign.actions.length > 0;
}

async function* counting(pages: AsyncIterable<ExportRecord[]>, onRows: (rows: number) => void): AsyncGenerator<ExportRecord[]> {
  for await (const page of pages) {
    onRows(page.length);
    yield page;
  }
}

async function* records(pages: AsyncIterable<ExportRecord[]>): AsyncGenerator<ExportRecord> {
  for await (const page of pages) yield* page;
}

export function exportFileName(campaign: CampaignRecord, format: ExportFormat, generatedAt: number, county?: CountyCode | null): string {
  const stamp = new Date(generatedAt).toISOString().slice(0, 19).replace(/[-:T]/g, '').replace(/^(\d{8})/, '$1-');
  const part = county === undefined ? '' : `-${county ?? 'no-county'}`;
  return `${campaign.slug}-${stamp}${part}.${format}`;
}

/** Writes `stream` to `file` (mode 0600), hashing it on the way, so nothing is read back. */
async function writeHashed(stream: Readable, file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    stream,
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback(null, chunk);
      },
    }),
    createWriteStream(file, { mode: 0o600 }),
  );
  return { sha256: hash.digest('hex'), bytes };
}

export interface DirectoryExportOptions {
  dir: string;
  actor: Actor;
  now: number;
  split?: 'county' | undefined;
  /** Called with (rows written so far, total rows) as the export goes. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Also write the pack as one zip, `<dir>.zip` beside the directory. */
  zip?: boolean | undefined;
  /** What the audit entry names as the pack's destination: a folder (CLI), or a download (pack.router.ts). */
  destination?: 'directory' | 'http-pack' | undefined;
}

export interface DirectoryExportResult {
  manifest: Manifest;
  manifestPath: string;
  /** Null when no signing key exists yet (`imlu keys signing create`): the pack is then not signed. */
  signature: PackSignature | null;
  zipPath: string | null;
}

/**
 * Writes the export into `dir` (created; must be empty or new): one file, or one per county with
 * `split: 'county'`, then `manifest.json` with every file's SHA-256 and row count, its signature under the
 * organisation's current key and `SHA256SUMS` (pack.ts), the zip if asked, then the audit entry. Files are
 * hashed as they are written, so nothing is read back.
 */
export async function exportToDirectory(db: Db, crypto: FieldCrypto, request: ExportRequest, options: DirectoryExportOptions): Promise<DirectoryExportResult> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const existing = await readdir(options.dir);
  if (existing.length) throw new Error(`the output directory ${options.dir} is not empty`);
  if (options.zip && (await stat(`${path.resolve(options.dir)}.zip`).catch(() => null))) throw new Error(`the zip file ${path.resolve(options.dir)}.zip already exists`);
  // Before any file is written: a key that cannot be read (ENCRYPTION_KEY changed) stops the export here.
  const signingKey = await currentSigningKey(db, crypto);
  const baseFilter: ExportFilter = { ...request.filter, campaignId: request.campaign.id };
  const summary = await summarise(db, baseFilter);
  const pledges = request.pledges ?? (await packPledges(db.client, request.campaign));
  request = { ...request, pledges };
  const parts: { county?: CountyCode | null; filter: ExportRequest['filter'] }[] =
    options.split === 'county'
      ? [...summary.byCounty.keys()].sort((a, b) => ((a ?? '~') < (b ?? '~') ? -1 : 1)).map((county) => ({ county, filter: { ...request.filter, county } }))
      : [{ filter: request.filter }];
  let done = 0;
  options.onProgress?.(0, summary.total);
  const files: ManifestFile[] = [];
  // An xlsx split by county is one workbook with a sheet per county, not one file per county.
  const oneWorkbook = options.split === 'county' && request.format === 'xlsx';
  if (oneWorkbook) {
    const { sheetTitle, xlsxStream } = await import('./xlsx.ts');
    const { includeContacts, locale, pageSize, onPage, reader } = request;
    const includePledges = isPledgeWithActions(request.campaign);
    const sheets = parts.map((part) => ({
      name: sheetTitle(part.county, locale),
      pages: counting(exportPages(db, crypto, { ...part.filter, campaignId: request.campaign.id }, { locale, includeContacts, includePledges, pageSize, onPage, reader }), (n) => {
        done += n;
        options.onProgress?.(done, summary.total);
      }),
    }));
    const name = exportFileName(request.campaign, request.format, options.now);
    const written = await writeHashed(xlsxStream(sheets, { includeContacts, includePledges, generatedAt: options.now }), path.join(options.dir, name));
    files.push({ name, ...written, rows: done });
  }
  for (const part of oneWorkbook ? [] : parts) {
    const partFilter: ExportFilter = { ...part.filter, campaignId: request.campaign.id };
    const partSummary = options.split === 'county' ? await summarise(db, partFilter) : summary;
    const name = exportFileName(request.campaign, request.format, options.now, options.split === 'county' ? (part.county ?? null) : undefined);
    let rows = 0;
    const stream = await exportStream(db, crypto, { ...request, filter: part.filter }, partSummary, {
      generatedAt: options.now,
      fileName: name,
      onRows: (n) => {
        rows += n;
        done += n;
        options.onProgress?.(done, summary.total);
      },
    });
    files.push({ name, ...(await writeHashed(stream, path.join(options.dir, name))), rows, ...(options.split === 'county' ? { county: part.county ?? null } : {}) });
  }
  options.onProgress?.(done, summary.total);
  const manifest: Manifest = {
    manifestVersion: 1,
    generator: GENERATOR,
    generatedAt: new Date(options.now).toISOString(),
    campaign: { id: request.campaign.id, slug: request.campaign.slug },
    format: request.format,
    locale: request.locale,
    filters: describeFilter(baseFilter),
    includeContacts: request.includeContacts && request.format !== 'pdf',
    split: options.split ?? null,
    totalRows: files.reduce((n, f) => n + f.rows, 0),
    files,
    ...(pledges ? { pledges } : {}),
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestPath = path.join(options.dir, MANIFEST_FILE);
  await writeFile(manifestPath, manifestText, { mode: 0o600 });
  const { signature } = await sealPack(options.dir, manifestText, files, signingKey);
  const zipPath = options.zip ? `${path.resolve(options.dir)}.zip` : null;
  if (zipPath) await zipPack(options.dir, zipPath, new Date(options.now));
  await auditInsert(db.orm, {
    actor: options.actor,
    action: 'export.created',
    campaignId: request.campaign.id,
    subject: `manifest:${createHash('sha256').update(manifestText).digest('hex')}`,
    rowCount: manifest.totalRows,
    at: options.now,
    details: {
      destination: options.destination ?? 'directory',
      format: request.format,
      locale: request.locale,
      filters: manifest.filters,
      split: manifest.split,
      files: files.length,
      includeContacts: manifest.includeContacts,
      signingKey: signature?.keyId ?? null,
      zip: zipPath !== null,
    },
  });
  return { manifest, manifestPath, signature, zipPath };
}
