/** `imlu retention …`: the schedule on which signers' personal data is deleted after a campaign ends, and the run. */
import type { Command } from 'commander';
import { iso } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addRetentionCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  program
    .command('retention')
    .description('signers\' personal data past its retention period')
    .command('run')
    .description('delete the personal data of every campaign whose retention period has passed (the server also does this daily)')
    .option('--dry-run', 'only say which campaigns and how many signatures')
    .option('--json', 'print JSON')
    .action((opts: { dryRun?: boolean; json?: boolean }) =>
      withRuntime(async ({ db, actor }) => {
        const { runRetention } = await import('../retention/retention.ts');
        const report = await runRetention(db, { now: Date.now(), dryRun: Boolean(opts.dryRun), actor });
        if (opts.json) return json(report);
        const verb = report.dryRun ? 'would delete' : 'deleted';
        if (!report.anonymised.length) return void io.stdout.write('no campaign is past its retention period\n');
        for (const c of report.anonymised) {
          io.stdout.write(`${c.slug}: ${verb} the personal data of ${c.signatures} signatures (ended ${iso(c.endedAt)}, kept ${c.retentionDays} days)\n`);
        }
      }),
    );
}
