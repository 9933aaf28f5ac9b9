/** `imlu held …`: signatures held for review (a family phone's name beyond the campaign's limit). */
import { Option, type Command } from 'commander';
import { iso, printTable, requireCampaign, RuntimeError } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addHeldCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  const held = program.command('held').description('signatures held for review: a family phone confirmed one name more than the campaign allows');
  held
    .command('list')
    .description('the held signatures of a campaign (ids, county, dates; no names: `imlu signer show <id>` shows one)')
    .requiredOption('--campaign <slug>', 'campaign slug')
    .option('--json', 'print JSON')
    .action((opts: { campaign: string; json?: boolean }) =>
      withRuntime(async (runtime) => {
        const campaignRecord = await requireCampaign(runtime, opts.campaign);
        const { listHeld } = await import('../moderation/held.ts');
        const rows = await listHeld(runtime.db, campaignRecord.id);
        if (opts.json) return json(rows);
        if (!rows.length) return void io.stdout.write('no signature is held for review\n');
        printTable(io.stdout, rows.map((r) => ({ id: r.id, county: r.county, signed: iso(r.signedAt), confirmed: iso(r.confirmedAt), countedOnPhone: r.countedOnPhone })));
      }),
    );
  held
    .command('decide')
    .description('count a held signature (the counts move at once) or invalidate it; audited with the reason')
    .argument('<id>', 'signature id (from `imlu held list`)')
    .addOption(new Option('--decision <decision>', 'count or invalidate').choices(['count', 'invalidate']).makeOptionMandatory())
    .requiredOption('--reason <text>', 'why, in a few words (a reason, never personal data)')
    .action((id: string, opts: { decision: 'count' | 'invalidate'; reason: string }) =>
      withRuntime(async ({ db, actor }) => {
        const { decideHeld } = await import('../moderation/held.ts');
        const decided = await decideHeld(db, { signatureId: id, decision: opts.decision, reason: opts.reason, actor, now: Date.now() });
        if (!decided) throw new RuntimeError(`no signature ${id} is held for review (see \`imlu held list\`)`);
        io.stdout.write(`${opts.decision === 'count' ? 'counted' : 'invalidated'} ${id}\n`);
      }),
    );
}
