/**
 * `imlu keys signing …` (the organisation's Ed25519 key that signs export manifests, src/exports/
 * signing-key.ts) and `imlu export verify` (a pack's files, SHA256SUMS, signature and audit entry,
 * src/exports/pack.ts).
 *
 * `verify` works without a database when given `--public-key`: an official checks a pack with the key
 * published at `GET /v1/signing-keys` and nothing else of ours.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { Command } from 'commander';
import type { PackVerification } from '../exports/pack.ts';
import { iso, printTable, RuntimeError, UsageError, type Runtime } from './runtime.ts';

interface PackCommandContext {
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } };
  withRuntime: <T>(fn: (runtime: Runtime) => Promise<T>, options?: { keyCheck?: 'record' | 'inspect' }) => Promise<T>;
  json: (value: unknown) => void;
}

const subcommand = (parent: Command, name: string): Command => {
  const found = parent.commands.find((command) => command.name() === name);
  if (!found) throw new Error(`imlu has no "${name}" command to extend`);
  return found;
};

/** `imlu keys signing create | list | public-key`, under `keys`, which must be defined already. */
export function addSigningKeyCommands(program: Command, { withRuntime, json, io }: PackCommandContext): void {
  const signing = subcommand(program, 'keys')
    .command('signing')
    .description('the Ed25519 key that signs every export manifest: create one (retiring the current one), list them, print a public key');

  signing
    .command('create')
    .description('create a new signing key; exports are signed with it from now on, the current key is retired (its public key stays published, so packs it signed still verify)')
    .action(() =>
      withRuntime(async ({ db, crypto, actor }) => {
        const { createSigningKey, keyLabel } = await import('../exports/signing-key.ts');
        const { key, retired } = await createSigningKey(db, crypto, { actor });
        io.stdout.write(`${key.keyId}\n`);
        io.stderr.write(
          `Created signing key ${keyLabel(key.keyId)}: every export is signed with it from now on.\n` +
            (retired.length ? `Retired ${retired.map(keyLabel).join(', ')}: it signs nothing more, and packs it signed still verify.\n` : '') +
            'Its private half is stored encrypted under ENCRYPTION_KEY. Its public key is served at GET /v1/signing-keys; `imlu keys signing public-key` prints it.\n',
        );
      }),
    );

  signing
    .command('list')
    .description('list the signing keys, newest first: id, created, retired (public keys with --json)')
    .option('--json', 'print JSON, with each public key')
    .action((opts: { json?: boolean }) =>
      withRuntime(
        async ({ db }) => {
          const { listSigningKeys, keyLabel } = await import('../exports/signing-key.ts');
          const keys = await listSigningKeys(db.orm);
          if (opts.json) return json(keys.map((key) => ({ ...key, createdAt: iso(key.createdAt), retiredAt: iso(key.retiredAt) })));
          if (!keys.length) return void io.stdout.write('no signing key: exports are not signed (run `imlu keys signing create`)\n');
          printTable(
            io.stdout,
            keys.map((key) => ({ key: keyLabel(key.keyId), created: iso(key.createdAt), retired: iso(key.retiredAt), use: key.retiredAt === null ? 'signs new exports' : 'verifies older packs' })),
          );
        },
        { keyCheck: 'inspect' },
      ),
    );

  signing
    .command('public-key')
    .description('print a public key as PEM (default: the current one), e.g. to give an official with a pack')
    .argument('[id]', 'key id (from `imlu keys signing list`)')
    .action((id: string | undefined) =>
      withRuntime(
        async ({ db }) => {
          const { currentSigningKeyId, findSigningKey } = await import('../exports/signing-key.ts');
          const keyId = id?.replace(/^ed25519:/, '') ?? (await currentSigningKeyId(db.orm));
          if (!keyId) throw new RuntimeError('no signing key yet: run `imlu keys signing create`');
          const key = await findSigningKey(db.orm, keyId);
          if (!key) throw new RuntimeError(`no signing key with id ${keyId} (see \`imlu keys signing list\`)`);
          io.stdout.write(key.publicKeyPem);
        },
        { keyCheck: 'inspect' },
      ),
    );
}

/** `imlu export verify <pack>`, under `export`, which must be defined already. */
export function addExportVerifyCommand(program: Command, { io, withRuntime, json }: PackCommandContext): void {
  subcommand(program, 'export')
    .command('verify')
    .description(
      'check a pack (its folder or zip): every file against manifest.json, SHA256SUMS, the signature over manifest.json, and — with the database — ' +
        'that an export.created audit entry names this manifest (exit 1 on any failure)',
    )
    .argument('<pack>', 'export folder, or the zip of one')
    .option('--public-key <key>', 'verify without a database, with this public key alone: a PEM file, the base64 key, or a file holding the JSON of GET /v1/signing-keys')
    .option('--allow-unsigned', 'accept a pack made before any signing key existed (its files are still checked)')
    .option('--json', 'print the result as JSON')
    .action(async (target: string, opts: { publicKey?: string; allowUnsigned?: boolean; json?: boolean }) => {
      const { givenKeys, openPack, PackOpenError, verifyPack } = await import('../exports/pack.ts');
      const given = opts.publicKey === undefined ? undefined : await readPublicKeys(opts.publicKey);
      let source;
      try {
        source = await openPack(target);
      } catch (error) {
        if (error instanceof PackOpenError) throw new RuntimeError(error.message);
        throw error;
      }
      try {
        if (given) {
          const result = await verifyPack(source, givenKeys(given), { allowUnsigned: opts.allowUnsigned });
          return report(target, result, { checked: false, problem: null }, opts.json === true);
        }
        let opened = false;
        try {
          await withRuntime(
            async ({ db }) => {
              opened = true;
              const { verifyPackWithDatabase } = await import('../exports/pack-check.ts');
              const { result, audit } = await verifyPackWithDatabase(db, source, { allowUnsigned: opts.allowUnsigned });
              const entry = audit.entry;
              report(target, result, {
                checked: true,
                problem: entry ? null : `no export.created entry in this database's audit log names this manifest (SHA-256 ${result.manifestSha256 ?? 'unknown'})`,
                found: entry ? `export.created ${iso(entry.at)} by ${entry.actor}, ${entry.rowCount} row(s)` : undefined,
                retired: audit.retired,
              }, opts.json === true);
            },
            { keyCheck: 'inspect' },
          );
        } catch (error) {
          if (opened || error instanceof RuntimeError === false) throw error;
          throw new RuntimeError(
            `${(error as Error).message}. The signature is checked with the key in the database; to verify without one, give --public-key ` +
              '(the key from GET /v1/signing-keys or `imlu keys signing public-key`)',
          );
        }
      } finally {
        source.close();
      }
    });

  function report(
    target: string,
    result: PackVerification,
    audit: { checked: boolean; problem: string | null; found?: string | undefined; retired?: string | null },
    asJson: boolean,
  ): void {
    const { files, sums, signature } = result;
    const failed: string[] = [...files.problems, ...sums.problems];
    if (signature.problem && !(signature.status === 'not-signed' && result.ok)) failed.push(signature.problem);
    if (audit.retired) failed.push(audit.retired);
    if (audit.problem) failed.push(audit.problem);
    if (asJson) {
      json({
        ok: result.ok,
        files: files.ok,
        sums: sums.ok,
        signature: signature.status,
        keyId: signature.keyId,
        audit: audit.checked ? (audit.problem ? 'missing' : 'found') : 'not-checked',
        manifestSha256: result.manifestSha256,
        problems: failed,
      });
    } else {
      const line = (ok: boolean, what: string, text: string) => io.stdout.write(`${ok ? 'OK    ' : 'FAILED'} ${what.padEnd(10)} ${text}\n`);
      line(files.ok, 'files', files.ok ? `${files.checked} file(s) match manifest.json` : `${files.problems.length} problem(s)`);
      line(sums.ok, SUMS, sums.ok ? `${sums.lines} file(s) listed, every SHA-256 matches` : `${sums.problems.length} problem(s)`);
      if (signature.status === 'valid') line(!audit.retired, 'signature', `Ed25519, key ed25519:${signature.keyId}${signature.note ? ` (${signature.note})` : ''}`);
      else if (signature.status === 'not-signed') line(result.ok, 'signature', 'NOT SIGNED: nothing proves who made this pack');
      else line(false, 'signature', signature.status === 'unknown-key' ? `unknown key ed25519:${signature.keyId}` : 'does not match');
      if (audit.checked) line(!audit.problem, 'audit', audit.found ?? 'no export.created entry for this manifest');
      else io.stdout.write(`-      ${'audit'.padEnd(10)} not checked (no database: --public-key)\n`);
    }
    if (failed.length) io.stderr.write(`${failed.map((p) => `FAILED ${p}`).join('\n')}\n`);
    if (!result.ok) throw new RuntimeError(`${target}: the pack does not verify`);
    if (signature.status === 'not-signed') io.stderr.write('warning: the pack is not signed (--allow-unsigned): its files match its manifest, but nothing proves who made it\n');
  }
}

const SUMS = 'SHA256SUMS';

/** `--public-key`: a file (PEM, base64 or the JSON of GET /v1/signing-keys) or the base64 key itself. */
async function readPublicKeys(value: string): Promise<KeyObject[]> {
  const { parsePublicKeys } = await import('../exports/signing-key.ts');
  const isFile = existsSync(value) && statSync(value).isFile();
  // A base64 key may hold "/", so only what cannot be one is taken for a missing file.
  if (!isFile && !/^[A-Za-z0-9+/_-]{40,}={0,2}$/.test(value.trim())) throw new UsageError(`--public-key: no such file: ${value}`);
  try {
    return parsePublicKeys(isFile ? readFileSync(value, 'utf8') : value);
  } catch (error) {
    throw new UsageError(`--public-key: ${(error as Error).message}`);
  }
}
