/** `imlu keys …`: which encryption key the stored values are under, and rotation to a new ENCRYPTION_KEY. */
import type { Command } from 'commander';
import { progressReporter } from './progress.ts';
import { parsePositiveInt, printTable, RuntimeError } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addKeysCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  const keysCmd = program.command('keys').description('encryption keys: which key the stored values are under, rotation to a new ENCRYPTION_KEY; the key that signs export packs (keys signing)');
  keysCmd
    .command('status')
    .description('count the encrypted values per key id and say whether ENCRYPTION_KEY_PREVIOUS is still needed (changes nothing)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withRuntime(
        async ({ db, crypto, keyCheck }) => {
          const { countByKeyId } = await import('../signing/key-rotation.ts');
          const values = await countByKeyId(db);
          const retiredKeyIds = keyCheck?.retiredKeyIds ?? [];
          const other = values.filter((count) => count.keyId !== crypto.keyId);
          const notUnderCurrentKey = other.reduce((sum, count) => sum + count.values, 0);
          // v1 values are under the key the database had before its first switch: the old key once one happened.
          const previousKeyNeeded = other.some((count) => count.keyId !== null || retiredKeyIds.length > 0);
          const status = {
            keyId: crypto.keyId,
            previousKeyId: crypto.previousKeyId ?? null,
            databaseKeyId: keyCheck?.recordedKeyId ?? null,
            switching: keyCheck?.switching ?? false,
            retiredKeyIds,
            values,
            notUnderCurrentKey,
            previousKeyNeeded,
          };
          if (opts.json) return json(status);
          const out = (line: string) => io.stdout.write(`${line}\n`);
          out(`ENCRYPTION_KEY           key id ${crypto.keyId} (encrypts new values)`);
          out(`ENCRYPTION_KEY_PREVIOUS  ${crypto.previousKeyId ? `key id ${crypto.previousKeyId} (decrypts only)` : 'not set'}`);
          if (status.switching) {
            out(`database                 written under key id ${status.databaseKeyId}: the first server or imlu command started with these keys switches it to ${crypto.keyId}`);
          } else {
            out(`database                 writes under key id ${status.databaseKeyId ?? crypto.keyId}; earlier keys that may still hold values: ${retiredKeyIds.join(', ') || 'none'}`);
          }
          out('');
          if (values.length) printTable(io.stdout, values.map((count) => ({ location: count.location, key: count.keyId ?? 'v1 (no key id)', values: count.values })));
          else out('no encrypted values stored');
          out('');
          if (notUnderCurrentKey) out(`${notUnderCurrentKey} value(s) are not under key id ${crypto.keyId}: run \`imlu keys rotate\`.`);
          if (previousKeyNeeded) out('ENCRYPTION_KEY_PREVIOUS is still needed: keep it in the environment of every server and of imlu.');
          else if (crypto.previousKeyId) out('ENCRYPTION_KEY_PREVIOUS is no longer needed: remove it from every server and from imlu, then restart the servers.');
          else out('every value is readable with ENCRYPTION_KEY alone.');
        },
        { keyCheck: 'inspect' },
      ),
    );
  keysCmd
    .command('rotate')
    .description('re-encrypt every stored value under ENCRYPTION_KEY (the old key in ENCRYPTION_KEY_PREVIOUS), in batches; run again to resume')
    .option('--batch-size <n>', 'rows per write transaction', '500')
    .option('--no-vacuum', 'skip the final VACUUM, which blocks writes while it runs (run `imlu keys rotate` again later to do it)')
    .option('--json', 'print the report as JSON')
    .action((opts: { batchSize: string; vacuum: boolean; json?: boolean }) => {
      const batchSize = parsePositiveInt(opts.batchSize, '--batch-size');
      return withRuntime(async ({ db, crypto, actor }) => {
        const { rotateEncryptionKey } = await import('../signing/key-rotation.ts');
        const progress = progressReporter('rotate keys', io.stderr);
        // Ctrl-C ends the run after the batch in progress (each batch is its own transaction); a second one kills.
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        let report;
        try {
          report = await rotateEncryptionKey(db, crypto, {
            actor,
            batchSize,
            vacuum: opts.vacuum,
            signal: controller.signal,
            onBatch: ({ done, total }) => progress.update(done, total),
          });
        } finally {
          progress.stop();
          process.off('SIGINT', stop);
        }
        const rotated = Object.entries(report.rotated).filter(([, n]) => n > 0);
        const total = rotated.reduce((sum, [, n]) => sum + n, 0);
        const remaining = report.remaining.reduce((sum, count) => sum + count.values, 0);
        if (opts.json) json(report);
        else {
          const where = rotated.map(([location, n]) => `${location} ${n}`).join(', ');
          io.stdout.write(`re-encrypted ${total} value(s) under key id ${report.keyId} in ${report.batches} batch(es)${where ? ` (${where})` : ''}\n`);
          if (report.changedMeanwhile) io.stdout.write(`${report.changedMeanwhile} value(s) were changed by the server meanwhile and left as it wrote them\n`);
          for (const failure of report.failures) {
            io.stderr.write(`cannot decrypt ${failure.location} of row ${failure.row} (key ${failure.keyId ?? 'v1'}): ${failure.reason}\n`);
          }
          if (report.vacuum === 'done') io.stdout.write('rebuilt the database file (VACUUM): it holds no stale copy of an old value\n');
          else if (report.vacuum === 'skipped' && !report.interrupted) {
            io.stderr.write('note: without VACUUM the database file may still hold stale copies of old values; run `imlu keys rotate` again in a quiet hour\n');
          }
          if (report.walCheckpoint === 'busy') {
            io.stderr.write('note: another connection was reading, so the write-ahead log (imlu.db-wal) may still hold old ciphertext until the server checkpoints it or stops\n');
          }
          if (!remaining) {
            io.stdout.write(
              `every encrypted value is under key id ${report.keyId}: ENCRYPTION_KEY_PREVIOUS is no longer needed. Remove it from every server and from imlu, restart the servers, then run \`imlu keys status\`.\n`,
            );
          }
        }
        if (report.interrupted) throw new RuntimeError(`interrupted: ${remaining} value(s) are not under key id ${report.keyId} yet; run \`imlu keys rotate\` again to resume`);
        if (remaining) {
          const ids = [...new Set(report.remaining.map((count) => count.keyId ?? 'v1'))].join(', ');
          throw new RuntimeError(
            `${remaining} value(s) are still under key id ${ids}: ENCRYPTION_KEY_PREVIOUS is still needed. ` +
              (report.failureCount
                ? `${report.failureCount} could not be decrypted (listed above).`
                : 'A server still running with the old key alone writes under it: restart every server with both keys, then run `imlu keys rotate` again.'),
          );
        }
      });
    });
}
