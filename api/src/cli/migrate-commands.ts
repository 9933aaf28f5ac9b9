/** `imlu migrate`: applies the committed database migrations, as the server does at start. */
import type { Command } from 'commander';
import { recordAudit } from '../audit/audit.ts';
import { migrateDb } from '../db/client.ts';
import { backfillPhoneNameKeys } from '../db/backfill.ts';
import { verifyKeyFingerprint } from '../db/key-check.ts';
import type { CliContext } from './context.ts';

export function addMigrateCommands(program: Command, { io, withRuntime }: CliContext): void {
  program
    .command('migrate')
    .description('apply the committed database migrations (the server does this at start too)')
    .action(() =>
      withRuntime(
        async ({ db, config, actor, crypto }) => {
          const applied = async () =>
            Number((await db.client.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = '__drizzle_migrations'")).rows[0]![0])
              ? Number((await db.client.execute('SELECT COUNT(*) FROM __drizzle_migrations')).rows[0]![0])
              : 0;
          const before = await applied();
          await migrateDb(db);
          await verifyKeyFingerprint(db, crypto);
          const rekeyed = await backfillPhoneNameKeys(db, crypto);
          if (rekeyed) io.stdout.write(`re-keyed ${rekeyed} phone numbers for family phones\n`);
          const after = await applied();
          if (after > before) {
            await recordAudit(db.orm, { actor, action: 'database.migrated', rowCount: after - before, details: { before, after } });
          }
          io.stdout.write(`migrated ${config.databaseUrl.startsWith('file:') ? config.databaseUrl : '(remote libSQL database)'}\n`);
        },
        { migrating: true },
      ),
    );
}
