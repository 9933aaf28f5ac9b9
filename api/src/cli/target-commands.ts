/**
 * `imlu target list`: the duty bearers, with the ids that `imlu export --addressee`, `--jurisdiction` and
 * `imlu deliver --to` take. The private delivery contact is never printed, only whether there is one.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { printTable } from './runtime.ts';

export function addTargetCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  program
    .command('target')
    .description('duty bearers (targets) of the accountability board')
    .command('list')
    .description('list the duty bearers with their ids, office, jurisdiction and whether a delivery contact is on file (never the contact)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withRuntime(async ({ db }) => {
        const { listTargets } = await import('../accountability/operations.ts');
        const rows = (await listTargets(db)).map((t) => ({
          id: t.id,
          name: t.name,
          office: t.office,
          institution: t.institution,
          jurisdiction: t.jurisdictionLevel === 'county' ? t.county : 'national',
          publicContact: t.publicContact,
          hasDeliveryContact: t.deliveryContactEnc !== null,
        }));
        if (opts.json) return json(rows);
        if (!rows.length) return void io.stdout.write('no targets (add them with POST /admin/targets)\n');
        printTable(
          io.stdout,
          rows.map((t) => ({ id: t.id, name: t.name, office: t.office ?? '—', jurisdiction: t.jurisdiction ?? '—', deliveryContact: t.hasDeliveryContact ? 'yes' : 'no' })),
        );
      }),
    );
}
