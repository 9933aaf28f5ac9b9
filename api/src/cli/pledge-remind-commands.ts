/** `imlu pledge remind`: queue the pledge reminders due now (the server does this every 10 minutes). */
import type { Command } from 'commander';
import { UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addPledgeRemindCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  const pledge = program.commands.find((c) => c.name() === 'pledge') ?? program.command('pledge').description("a pledge campaign's follow-through: reminders and attendance");
  pledge
    .command('remind')
    .description(
      'queue the reminders due now (the day before and on the day of each dated action, Nairobi time) for supporters who asked for them; ' +
        'each is queued once, so running it again (or beside the server, which runs it every 10 minutes) queues nothing twice',
    )
    .option('--now <time>', 'act as if it were this ISO time (e.g. 2027-01-11T09:00:00+03:00): to catch up, or to check a day ahead with --dry-run')
    .option('--dry-run', 'only count what would be queued')
    .option('--json', 'print JSON')
    .action((opts: { now?: string; dryRun?: boolean; json?: boolean }) => {
      const now = opts.now === undefined ? Date.now() : Date.parse(opts.now);
      if (!Number.isFinite(now) || (opts.now !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(opts.now))) {
        throw new UsageError(`--now: "${opts.now}" is not an ISO date and time (e.g. 2027-01-11T09:00:00+03:00)`);
      }
      return withRuntime(async ({ db }) => {
        const { runPledgeReminders } = await import('../pledges/reminders.ts');
        const run = await runPledgeReminders(db.client, { now, dryRun: Boolean(opts.dryRun) });
        if (opts.json) return json(run);
        if (!run.actions.length) return void io.stdout.write(`no pledged action is due a reminder at ${run.now}\n`);
        const verb = run.dryRun ? 'would queue' : 'queued';
        for (const a of run.actions) {
          io.stdout.write(`${a.campaign} action ${a.position} (${a.startsAt}), ${a.when === 'before' ? 'the day before' : 'on the day'}: ${verb} ${a.email} e-mail, ${a.sms} SMS\n`);
        }
        io.stdout.write(`${verb} ${run.queued} reminder${run.queued === 1 ? '' : 's'} in all${run.dryRun ? '' : '; the server sends them (SMS within 08:00–20:00 Nairobi time)'}\n`);
      });
    });
}
