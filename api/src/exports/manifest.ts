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

/** Checks every file listed against its hash and size, and that no unlisted file sits beside them. */
export async function verifyManifest(dir: string): Promise<VerifyResult> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch (error) {
    return { ok: false, checked: 0, problems: [`cannot read ${MANIFEST_FILE}: ${(error as Error).message}`] };
  }
  const problems: string[] = [];
  let checked = 0;
  for (const file of manifest.files ?? []) {
    if (path.basename(file.name) !== file.name) {
      problems.push(`${file.name}: not a plain file name`);
      continue;
    }
    try {
      const actual = await sha256File(path.join(dir, file.name));
      checked += 1;
      if (actual.sha256 !== file.sha256) problems.push(`${file.name}: SHA-256 differs (file was changed)`);
      else if (actual.bytes !== file.bytes) problems.push(`${file.name}: size differs`);
    } catch {
      problems.push(`${file.name}: missing`);
    }
  }
  const listed = new Set([MANIFEST_FILE, ...(manifest.files ?? []).map((f) => f.name)]);
  for (const entry of await readdir(dir)) {
    if (!listed.has(entry)) problems.push(`${entry}: not listed in the manifest`);
  }
  const sum = (manifest.files ?? []).reduce((n, f) => n + f.rows, 0);
  if (sum !== manifest.totalRows) problems.push(`row counts of the files (${sum}) do not add up to totalRows (${manifest.totalRows})`);
  return { ok: problems.length === 0, checked, problems };
}
