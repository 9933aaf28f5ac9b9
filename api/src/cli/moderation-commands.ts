/** `imlu invalidate` and `imlu strike`: invalidating signatures by window, source, domain or county, and striking one out of exports. */
import type { Command } from 'commander';
import { recordAudit } from '../audit/audit.ts';
import { strikeSignature } from '../exports/strike.ts';
import { invalidateSignatures, invalidationFilters } from '../moderation/moderation.ts';
import { parseCounty, parseDate, requireCampaign, RuntimeError, UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addModerationCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  program
    .command('invalidate')
    .description('invalidate signatures by time window, source hash, e-mail domain or county (a dry run unless --apply), then recount')
    .requiredOption('--campaign <slug>', 'campaign slug')
    .option('--from <date>', 'signed on or after')
    .option('--to <date>', 'signed before (YYYY-MM-DD: through the end of that day)')
    .option('--source <hashPrefix>', 'source IP hash prefix (hex, from the trending report)')
    .option('--email-domain <domain>', 'e-mail domain')
    .option('--county <code>', 'county code')
    .option('--apply', 'really invalidate (default: dry run)')
    .option('--json', 'print the report as JSON')
    .action((opts: { campaign: string; from?: string; to?: string; source?: string; emailDomain?: string; county?: string; apply?: boolean; json?: boolean }) => {
      const from = opts.from ? parseDate(opts.from, '--from') : undefined;
      const to = opts.to ? parseDate(opts.to, '--to', true) : undefined;
      const county = opts.county ? parseCounty(opts.county) : undefined;
      if (opts.source && !/^[0-9a-f]{8,64}$/i.test(opts.source)) throw new UsageError('--source: give 8 to 64 hex digits');
      if (from === undefined && to === undefined && !opts.source && !opts.emailDomain && !county) {
        throw new UsageError('give at least one of --from, --to, --source, --email-domain, --county');
      }
      return withRuntime(async (runtime) => {
        const campaignRecord = await requireCampaign(runtime, opts.campaign);
        const now = Date.now();
        const report = await invalidateSignatures(
          runtime.db,
          runtime.crypto,
          { campaignId: campaignRecord.id, from, to, sourceHashHex: opts.source?.toLowerCase(), emailDomain: opts.emailDomain, county },
          { dryRun: !opts.apply, now },
        );
        if (opts.apply) {
          await recordAudit(runtime.db.orm, {
            actor: runtime.actor,
            action: 'signatures.invalidated',
            campaignId: campaignRecord.id,
            rowCount: report.affected,
            at: now,
            details: {
              filters: invalidationFilters({
                from: from === undefined ? undefined : new Date(from).toISOString(),
                to: to === undefined ? undefined : new Date(to).toISOString(),
                sourceHashPrefix: opts.source,
                emailDomain: opts.emailDomain,
                county,
              }),
              counted: report.counted,
              pending: report.pending,
              suspect: report.suspect,
            },
          });
        }
        if (opts.json) return json(report);
        io.stdout.write(
          `${opts.apply ? 'invalidated' : 'would invalidate (dry run; add --apply)'}: ${report.affected} signature(s) — ${report.counted} counted, ${report.pending} pending, ${report.suspect} suspect\n`,
        );
      });
    });

  program
    .command('strike')
    .description('strike a signature out of every export (it still counts); --undo puts it back')
    .argument('<signatureId>', 'signature id (the signature_id column of an export)')
    .requiredOption('--reason <text>', 'why, without personal data (e.g. "signer asked", "duplicate person")')
    .option('--undo', 'put a struck signature back')
    .action((signatureId: string, opts: { reason: string; undo?: boolean }) => {
      if (!opts.reason.trim() || opts.reason.length > 200) throw new UsageError('--reason: give 1 to 200 characters');
      return withRuntime(async ({ db, actor }) => {
        const result = await strikeSignature(db, { signatureId, reason: opts.reason.trim(), actor, undo: Boolean(opts.undo) });
        if (!result) throw new RuntimeError(`no signature with id ${signatureId}`);
        const state = result.struck ? 'struck out of exports' : 'back in exports';
        io.stdout.write(`${signatureId} ${result.changed ? 'is now' : 'already was'} ${state}\n`);
      });
    });
}
