/** `imlu audit`: the audit log, newest first. */
import type { Command } from 'commander';
import { listAudit } from '../audit/audit.ts';
import { iso, parseDate, parsePositiveInt, printTable, requireCampaign } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addAuditCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  program
    .command('audit')
    .description('list the audit log, newest first')
    .option('--campaign <slug>', 'only this campaign')
    .option('--action <action>', 'only this action, e.g. export.created')
    .option('--actor <actor>', 'only this actor, e.g. cli:alice or token:<id>')
    .option('--from <date>', 'at or after')
    .option('--to <date>', 'before (YYYY-MM-DD: through the end of that day)')
    .option('--limit <n>', 'at most this many entries (≤ 1000)', '50')
    .option('--json', 'print JSON')
    .action((opts: { campaign?: string; action?: string; actor?: string; from?: string; to?: string; limit: string; json?: boolean }) => {
      const from = opts.from ? parseDate(opts.from, '--from') : undefined;
      const to = opts.to ? parseDate(opts.to, '--to', true) : undefined;
      const limit = parsePositiveInt(opts.limit, '--limit');
      return withRuntime(async (runtime) => {
        const campaignId = opts.campaign ? (await requireCampaign(runtime, opts.campaign)).id : undefined;
        const entries = await listAudit(runtime.db, { campaignId, action: opts.action, actor: opts.actor, from, to: to === undefined ? undefined : to - 1, limit });
        if (opts.json) return json(entries);
        if (!entries.length) return void io.stdout.write('no entries\n');
        printTable(io.stdout,
          entries.map((e) => ({
            at: iso(e.at),
            actor: `${e.actor} (${e.actorName})`,
            action: e.action,
            campaign: e.campaignSlug ?? e.campaignId,
            subject: e.subject,
            rows: e.rowCount,
            details: JSON.stringify(e.details),
          })),
        );
      });
    });
}
