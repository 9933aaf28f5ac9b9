/**
 * `manifest.json` of an export directory: what was exported (campaign, format, filters), when, and the
 * SHA-256, size and row count of every file, so a recipient or an auditor can check that nothing was
 * changed, added or left out. `verifyManifest` re-reads every file and compares.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  name: string;
  sha256: string;
  bytes: number;
  rows: number;
  county?: string | null;
}

export interface Manifest {
  manifestVersion: 1;
  generator: string;
  generatedAt: string;
  campaign: { id: string; slug: string };
  format: string;
  locale: string;
  filters: Record<string, string | boolean>;
  includeContacts: boolean;
  split: 'county' | null;
  totalRows: number;
  files: ManifestFile[];
  /** A pledge campaign's actions with their figures when the pack was made (whole campaign). */
  pledges?: { position: number; title: { en: string; sw: string }; startsAt: string | null; pledged: number; reminded: number; kept: number; cant: number }[];
}

export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    createReadStream(file),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback();
      },
    }),
  );
  return { sha256: hash.digest('hex'), bytes };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  problems: string[];
}

/** The files a pack holds beside its data files and the manifest (pack.ts). */
const PACK_FILES = ['signature.json', 'SHA256SUMS'];

/**
 * Checks every file listed against its hash and size, and that no unlisted file sits beside them (but the
 * signature and SHA256SUMS, which pack.ts checks). `pack` is a directory or an opened pack (a zip).
 */
export async function verifyManifest(pack: string | PackFiles): Promise<VerifyResult> {
  let source: PackFiles;
  try {
    source = typeof pack === 'string' ? await directoryFiles(pack) : pack;
  } catch (error) {
    return { ok: false, checked: 0, problems: [`cannot read the folder: ${(error as Error).message}`] };
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse((await source.read(MANIFEST_FILE)).toString('utf8')) as Manifest;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' || !source.names.includes(MANIFEST_FILE) ? 'missing' : (error as Error).message;
    return { ok: false, checked: 0, problems: [`cannot read ${MANIFEST_FILE}: ${reason}`] };
  }
  const problems: string[] = [];
  let checked = 0;
  for (const file of manifest.files ?? []) {
    if (path.basename(file.name) !== file.name) {
      problems.push(`${file.name}: not a plain file name`);
      continue;
    }
    if (!source.names.includes(file.name)) {
      problems.push(`${file.name}: missing`);
      continue;
    }
    const actual = await source.hash(file.name);
    checked += 1;
    if (actual.sha256 !== file.sha256) problems.push(`${file.name}: SHA-256 differs (file was changed)`);
    else if (actual.bytes !== file.bytes) problems.push(`${file.name}: size differs`);
  }
  const listed = new Set([MANIFEST_FILE, ...PACK_FILES, ...(manifest.files ?? []).map((f) => f.name)]);
  for (const entry of source.names) {
    if (!listed.has(entry)) problems.push(`${entry}: not listed in the manifest`);
  }
  for (const entry of source.strays) problems.push(`${entry}: not a file of the pack (a folder or a nested entry)`);
  const sum = (manifest.files ?? []).reduce((n, f) => n + f.rows, 0);
  if (sum !== manifest.totalRows) problems.push(`row counts of the files (${sum}) do not add up to totalRows (${manifest.totalRows})`);
  return { ok: problems.length === 0, checked, problems };
}

/** What verifyManifest reads: a directory's files, or a zip's (pack.ts `PackSource`). */
export interface PackFiles {
  names: string[];
  strays: string[];
  read(name: string): Promise<Buffer>;
  hash(name: string): Promise<{ sha256: string; bytes: number }>;
}

export async function directoryFiles(dir: string): Promise<PackFiles> {
  const names: string[] = [];
  const strays: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) (entry.isFile() ? names : strays).push(entry.name);
  return { names, strays, read: (name) => readFile(path.join(dir, name)), hash: (name) => sha256File(path.join(dir, name)) };
}
