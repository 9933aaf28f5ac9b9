/**
 * The "Exports" view's calls: an export or a delivery pack read as a stream (so the view can show how far it
 * is), a pack sent to be verified, and the export entries of the audit log.
 */
import { ApiError, consoleApi, type AuditEntry } from './api.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type SignatureStatus = 'valid' | 'invalid' | 'unknown-key' | 'not-signed';

/** The API's limit for `POST /admin/exports/verify` (pack.router.ts MAX_VERIFY_BYTES). */
export const MAX_VERIFY_BYTES = 64 * 1024 * 1024;

export interface ExportChoice {
  slug: string;
  format: ExportFormat;
  locale: 'en' | 'sw';
  verifiedOnly: boolean;
  includeContacts: boolean;
  from?: string | undefined;
  to?: string | undefined;
  /** The signed delivery pack (a zip) instead of the bare file. */
  pack: boolean;
}

/** Filters and choices only: never anything personal in a URL. */
export function exportPath(choice: ExportChoice): string {
  const params = new URLSearchParams({ format: choice.format, locale: choice.locale });
  if (choice.verifiedOnly) params.set('verifiedOnly', 'true');
  if (choice.includeContacts && choice.format !== 'pdf') params.set('includeContacts', 'true');
  if (choice.from) params.set('from', choice.from);
  if (choice.to) params.set('to', choice.to);
  return `/admin/campaigns/${encodeURIComponent(choice.slug)}/${choice.pack ? 'pack' : 'export'}?${params}`;
}

export interface DownloadProgress {
  /** Rows in the whole export (`X-Export-Rows`), once the answer has begun. */
  totalRows: number | null;
  /** Rows received so far, where the file's text shows them (CSV and JSON); else null. */
  rows: number | null;
  bytes: number;
  /** From `Content-Length` (a pack's); a streamed export's length is not known ahead. */
  totalBytes: number | null;
}

/**
 * Counts the rows of a CSV or OSDI JSON export as its bytes arrive, exactly: a CSV row ends at a line feed
 * outside quotes (a quoted cell may hold one), less the header; the JSON writer puts each signature on a
 * line of its own that starts with `{`, and a `{` never follows a raw line feed inside a JSON string.
 */
export function rowCounter(format: ExportFormat): ((chunk: Uint8Array) => number) | undefined {
  if (format === 'csv') {
    let quoted = false;
    let lines = 0;
    return (chunk) => {
      for (const byte of chunk) {
        if (byte === 0x22) quoted = !quoted;
        else if (byte === 0x0a && !quoted) lines += 1;
      }
      return Math.max(0, lines - 1);
    };
  }
  if (format === 'json') {
    let previous = 0;
    let rows = 0;
    return (chunk) => {
      for (const byte of chunk) {
        if (byte === 0x7b && previous === 0x0a) rows += 1;
        previous = byte;
      }
      return rows;
    };
  }
  return undefined;
}

/** The file name the API gave (`Content-Disposition: attachment; filename="…"`). */
export function fileNameOf(header: string | null, fallback: string): string {
  return /filename="([^"/\\]+)"/.exec(header ?? '')?.[1] ?? fallback;
}

async function failure(response: Response): Promise<ApiError> {
  let type: string | undefined;
  try {
    type = ((await response.json()) as { type?: string }).type;
  } catch {
    // Not a problem document.
  }
  return new ApiError(response.status, type);
}

/** Downloads an export or a pack into memory, reporting progress; `signal` cancels it. */
export async function downloadExport(
  choice: ExportChoice,
  signal: AbortSignal,
  onProgress: (progress: DownloadProgress) => void,
): Promise<{ blob: Blob; fileName: string; rows: number }> {
  const response = await fetch(exportPath(choice), { credentials: 'same-origin', cache: 'no-store', signal, headers: { Accept: '*/*' } });
  if (!response.ok || !response.body) throw await failure(response);
  const totalRows = Number(response.headers.get('X-Export-Rows') ?? NaN);
  const length = Number(response.headers.get('Content-Length') ?? NaN);
  const progress: DownloadProgress = {
    totalRows: Number.isFinite(totalRows) ? totalRows : null,
    rows: null,
    bytes: 0,
    totalBytes: Number.isFinite(length) && length > 0 ? length : null,
  };
  const count = choice.pack ? undefined : rowCounter(choice.format);
  if (count) progress.rows = 0;
  onProgress({ ...progress });
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    progress.bytes += value.byteLength;
    if (count) progress.rows = count(value);
    onProgress({ ...progress });
  }
  const fileName = fileNameOf(response.headers.get('Content-Disposition'), `${choice.slug}.${choice.pack ? 'zip' : choice.format}`);
  const type = response.headers.get('Content-Type') ?? 'application/octet-stream';
  return { blob: new Blob(chunks, { type }), fileName, rows: progress.rows ?? progress.totalRows ?? 0 };
}

/** `POST /admin/exports/verify` (pack.router.ts). */
export interface PackVerification {
  valid: boolean;
  readable: boolean;
  files: { ok: boolean; checked: number };
  sums: { ok: boolean };
  signature: { status: SignatureStatus; keyId: string | null; retiredBefore: boolean };
  audit: { at: string; actorName: string; rowCount: number } | null;
  manifest: { campaign: string; format: string; locale: string; totalRows: number; generatedAt: string } | null;
  problems: string[];
}

export async function verifyPackFile(file: Blob, csrf: string): Promise<PackVerification> {
  const response = await fetch('/admin/exports/verify', {
    method: 'POST',
    body: file,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/zip', Accept: 'application/json', 'X-CSRF-Token': csrf },
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as PackVerification;
}

/** The `export.created` entries of the audit log, newest first, a page at a time. */
export function exportHistory(before: string | null, limit = 20): Promise<{ entries: AuditEntry[]; next: string | null }> {
  return consoleApi.audit({ action: 'export.created', before: before ?? undefined }, limit);
}
