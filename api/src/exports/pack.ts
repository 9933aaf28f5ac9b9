/**
 * What makes an export directory a pack an official can verify, beside `manifest.json` (manifest.ts):
 *
 * - `signature.json`: an Ed25519 signature over the exact bytes of `manifest.json`, with the key id
 *   (signing-key.ts). The manifest holds every data file's SHA-256, so the signature covers them all: change
 *   a file and its hash in the manifest together, and the signature no longer matches.
 * - `SHA256SUMS`: `<hex>  <name>` for every other file, the manifest and the signature included, in the
 *   format `sha256sum -c SHA256SUMS` reads, for an official without our tools.
 * - optionally one zip holding the same files in one folder.
 *
 * `verifyPack` checks all of it in a directory or in such a zip, without a database: the caller supplies
 * how to find the public key (from the database, or a key the official was given).
 */
import { createHash, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { directoryFiles, MANIFEST_FILE, verifyManifest, type Manifest, type PackFiles, type VerifyResult } from './manifest.ts';
import { SIGNATURE_ALGORITHM, signBytes, signingKeyId, verifyBytes, type SigningKey } from './signing-key.ts';

export const SIGNATURE_FILE = 'signature.json';
export const SUMS_FILE = 'SHA256SUMS';
/** Far above a manifest of 47 county files. */
const MAX_READ_BYTES = 16 * 1024 * 1024;

export interface PackSignature {
  algorithm: typeof SIGNATURE_ALGORITHM;
  keyId: string;
  /** The file whose exact bytes are signed. */
  signed: typeof MANIFEST_FILE;
  /** Base64 of the 64-byte signature. */
  signature: string;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** One line of SHA256SUMS in `sha256sum`'s text mode (two spaces). Our file names hold no newline or backslash. */
const sumsLine = (hex: string, name: string) => `${hex}  ${name}\n`;

/**
 * Writes `signature.json` (when there is a key) and `SHA256SUMS` beside a written manifest. `files` are the
 * data files with their hashes as written; the manifest's and the signature's are computed here.
 */
export async function sealPack(dir: string, manifestText: string, files: readonly { name: string; sha256: string }[], key: SigningKey | null): Promise<{ signature: PackSignature | null }> {
  const sums = files.map((f) => sumsLine(f.sha256, f.name));
  sums.push(sumsLine(sha256(manifestText), MANIFEST_FILE));
  let signature: PackSignature | null = null;
  if (key) {
    signature = { algorithm: SIGNATURE_ALGORITHM, keyId: key.keyId, signed: MANIFEST_FILE, signature: signBytes(key, Buffer.from(manifestText, 'utf8')).toString('base64') };
    const text = `${JSON.stringify(signature, null, 2)}\n`;
    await writeFile(path.join(dir, SIGNATURE_FILE), text, { mode: 0o600 });
    sums.push(sumsLine(sha256(text), SIGNATURE_FILE));
  }
  await writeFile(path.join(dir, SUMS_FILE), sums.join(''), { mode: 0o600 });
  return { signature };
}

/** Writes every file of `dir` into `zipPath`, inside one folder named like the directory (so unzipping makes the folder). */
export async function zipPack(dir: string, zipPath: string, mtime: Date): Promise<void> {
  const zip = new yazl.ZipFile();
  const folder = path.basename(dir);
  for (const name of (await readdir(dir)).sort()) zip.addFile(path.join(dir, name), `${folder}/${name}`, { mtime, mode: 0o100600 });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath, { mode: 0o600, flags: 'wx' }));
}

/** The files of a pack, in a directory or a zip. */
export interface PackSource extends PackFiles {
  /** What the user named, for messages. */
  label: string;
  close(): void;
}

/** A pack that cannot be opened at all (missing, not a folder nor a zip): the message says so plainly. */
export class PackOpenError extends Error {
  override name = 'PackOpenError';
}

/** Opens a directory or a `.zip` (by its content, not its name) for `verifyPack`. */
export async function openPack(target: string): Promise<PackSource> {
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PackOpenError(`${target}: no such folder or zip file`);
    if ((error as NodeJS.ErrnoException).code === 'EACCES') throw new PackOpenError(`${target}: permission denied`);
    throw error;
  }
  let source: PackSource;
  if (info.isDirectory()) source = { label: target, ...(await directoryFiles(target)), close: () => undefined };
  else if (info.isFile()) source = await zipSource(target);
  else throw new PackOpenError(`${target}: not a folder or a zip file`);
  // The manifest check and the SHA256SUMS check hash the same files: read each once.
  const hashes = new Map<string, Promise<{ sha256: string; bytes: number }>>();
  const hash = source.hash.bind(source);
  source.names.sort();
  return { ...source, hash: (name) => hashes.get(name) ?? hashes.set(name, hash(name)).get(name)! };
}

function zipSource(file: string): Promise<PackSource> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true }, (error, zip) => {
      if (error) return reject(new PackOpenError(`${file}: not a folder or a readable zip file (${error.message})`));
      const entries: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('error', (err: Error) => reject(new PackOpenError(`${file}: a damaged zip file (${err.message})`)));
      zip.on('end', () => {
        const files = entries.filter((e) => !e.fileName.endsWith('/'));
        // The pack's files sit in one folder (as zipPack writes them) or at the top: strip that one folder.
        const folders = new Set(files.map((e) => (e.fileName.includes('/') ? e.fileName.slice(0, e.fileName.indexOf('/') + 1) : '')));
        const prefix = folders.size === 1 ? [...folders][0]! : '';
        const byName = new Map<string, yauzl.Entry>();
        const strays: string[] = [];
        for (const entry of files) {
          const name = entry.fileName.slice(prefix.length);
          if (name.includes('/') || byName.has(name) || entry.isEncrypted()) strays.push(entry.fileName);
          else byName.set(name, entry);
        }
        const stream = (name: string) =>
          new Promise<Readable>((ok, fail) => {
            const entry = byName.get(name);
            if (!entry) return fail(new Error(`${name}: not in the zip`));
            zip.openReadStream(entry, (err, readable) => (err ? fail(err) : ok(readable)));
          });
        resolve({
          label: file,
          names: [...byName.keys()].sort(),
          strays: strays.sort(),
          async read(name) {
            // Only the manifest, the signature and SHA256SUMS are read whole: a zip cannot make us hold gigabytes.
            if ((byName.get(name)?.uncompressedSize ?? 0) > MAX_READ_BYTES) throw new Error(`${name}: too large for a pack's ${name}`);
            const chunks: Buffer[] = [];
            for await (const chunk of await stream(name)) chunks.push(chunk as Buffer);
            return Buffer.concat(chunks);
          },
          async hash(name) {
            const hash = createHash('sha256');
            let bytes = 0;
            await pipeline(
              await stream(name),
              new Writable({
                write(chunk: Buffer, _encoding, callback) {
                  hash.update(chunk);
                  bytes += chunk.length;
                  callback();
                },
              }),
            );
            return { sha256: hash.digest('hex'), bytes };
          },
          close: () => zip.close(),
        });
      });
      zip.readEntry();
    });
  });
}

/** How `verifyPack` finds the public key a pack names. */
export type KeyLookup = (keyId: string) => Promise<{ key: KeyObject; note?: string } | null>;

/** Looks a key id up among keys the official was given (`--public-key`). */
export function givenKeys(keys: readonly KeyObject[]): KeyLookup {
  const byId = new Map(keys.map((key) => [signingKeyId(key), key]));
  return (keyId) => Promise.resolve(byId.has(keyId) ? { key: byId.get(keyId)! } : null);
}

export type SignatureStatus =
  /** Signed, and the signature matches the manifest under the named key. */
  | 'valid'
  /** Signed, but the signature does not match (the manifest or the signature was changed). */
  | 'invalid'
  /** Signed with a key we do not have (not in the database, not the key given). */
  | 'unknown-key'
  /** No `signature.json`. */
  | 'not-signed';

export interface PackVerification {
  ok: boolean;
  /** Every file against the manifest. */
  files: VerifyResult;
  /** SHA256SUMS against the files. */
  sums: { ok: boolean; lines: number; problems: string[] };
  signature: { status: SignatureStatus; keyId: string | null; note?: string; problem?: string };
  /** SHA-256 of `manifest.json` as it is (what the `export.created` audit entry names); null when unreadable. */
  manifestSha256: string | null;
  manifest: Manifest | null;
}

/**
 * Checks a pack: every file against the manifest, SHA256SUMS against every file, and the signature over
 * the manifest with the key `lookup` finds. An unsigned pack is reported as `not-signed` and is not ok
 * unless `allowUnsigned`: removing the signature must not be a way to pass.
 */
export async function verifyPack(source: PackSource, lookup: KeyLookup, options: { allowUnsigned?: boolean } = {}): Promise<PackVerification> {
  const files = await verifyManifest(source);
  const sums = await verifySums(source);
  let manifestBytes: Buffer | null = null;
  try {
    manifestBytes = await source.read(MANIFEST_FILE);
  } catch {
    // verifyManifest has said it is missing.
  }
  let manifest: Manifest | null = null;
  try {
    if (manifestBytes) manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  } catch {
    // verifyManifest has said it is unreadable.
  }
  const signature = await checkSignature(source, manifestBytes, lookup);
  const signatureOk = signature.status === 'valid' || (signature.status === 'not-signed' && options.allowUnsigned === true);
  return {
    ok: files.ok && sums.ok && signatureOk,
    files,
    sums,
    signature,
    manifestSha256: manifestBytes ? sha256(manifestBytes) : null,
    manifest,
  };
}

async function checkSignature(source: PackSource, manifestBytes: Buffer | null, lookup: KeyLookup): Promise<PackVerification['signature']> {
  if (!source.names.includes(SIGNATURE_FILE)) return { status: 'not-signed', keyId: null, problem: `${SIGNATURE_FILE} is missing: the pack is not signed` };
  let parsed: Partial<PackSignature>;
  try {
    parsed = JSON.parse((await source.read(SIGNATURE_FILE)).toString('utf8')) as Partial<PackSignature>;
  } catch {
    return { status: 'invalid', keyId: null, problem: `${SIGNATURE_FILE} is not valid JSON` };
  }
  const keyId = typeof parsed.keyId === 'string' && /^[0-9a-f]{16}$/.test(parsed.keyId) ? parsed.keyId : null;
  if (parsed.algorithm !== SIGNATURE_ALGORITHM || parsed.signed !== MANIFEST_FILE || !keyId || typeof parsed.signature !== 'string') {
    return { status: 'invalid', keyId, problem: `${SIGNATURE_FILE} does not name ${SIGNATURE_ALGORITHM}, a key id and a signature over ${MANIFEST_FILE}` };
  }
  if (!manifestBytes) return { status: 'invalid', keyId, problem: `${MANIFEST_FILE} is missing, so nothing can be checked against the signature` };
  const found = await lookup(keyId);
  if (!found) return { status: 'unknown-key', keyId, problem: `signed with key ed25519:${keyId}, which is not a key we have` };
  const signature = Buffer.from(parsed.signature, 'base64');
  if (signature.length !== 64 || !verifyBytes(found.key, manifestBytes, signature)) {
    return { status: 'invalid', keyId, problem: `the signature does not match ${MANIFEST_FILE} (the manifest or the signature was changed)` };
  }
  return { status: 'valid', keyId, ...(found.note ? { note: found.note } : {}) };
}

/** Checks SHA256SUMS: one line per file of the pack but itself, each hash right, no line for a missing file. */
async function verifySums(source: PackSource): Promise<PackVerification['sums']> {
  if (!source.names.includes(SUMS_FILE)) return { ok: false, lines: 0, problems: [`${SUMS_FILE} is missing`] };
  const text = (await source.read(SUMS_FILE)).toString('utf8');
  const problems: string[] = [];
  const listed = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) return void problems.push(`${SUMS_FILE} line ${i + 1} is not "<sha256>  <file>"`);
    const name = match[2]!;
    if (listed.has(name)) problems.push(`${SUMS_FILE} lists ${name} twice`);
    listed.set(name, match[1]!);
  });
  for (const [name, expected] of listed) {
    if (!source.names.includes(name)) {
      problems.push(`${SUMS_FILE} lists ${name}, which is missing`);
      continue;
    }
    if ((await source.hash(name)).sha256 !== expected) problems.push(`${SUMS_FILE}: ${name} has another SHA-256`);
  }
  for (const name of source.names) if (name !== SUMS_FILE && !listed.has(name)) problems.push(`${SUMS_FILE} does not list ${name}`);
  return { ok: problems.length === 0, lines: listed.size, problems };
}
