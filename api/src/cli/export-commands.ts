/**
 * `imlu export …`: signatures to CSV, xlsx, OSDI JSON or a PDF delivery pack, in a new folder with
 * manifest.json, SHA256SUMS and the organisation's signature (`imlu export verify` is in pack-commands.ts).
 * The export code (pdfkit and its fonts, exceljs) is imported only when a command runs.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { ExportFormat } from '../exports/run.ts';
import type { CliContext } from './context.ts';
import { progressReporter } from './progress.ts';
import { parseCounty, parseDate, parsePositiveInt, requireCampaign, UsageError } from './runtime.ts';

/** EXPORT_FORMATS of @imlu/contracts; repeated here to keep start-up light. */
const EXPORT_FORMATS = ['csv', 'json', 'pdf', 'xlsx'] as const satisfies readonly ExportFormat[];

export function addExportCommands(program: Command, { io, withRuntime }: CliContext): void {
  const exportCmd = program.command('export').description('export signatures (CSV, xlsx, OSDI JSON or a PDF delivery pack) with a manifest');
  const exportCreate = exportCmd
    .command('create', { isDefault: true })
    .description('write an export into a new directory, with manifest.json (default subcommand)')
    .requiredOption('--campaign <slug>', 'campaign slug')
    .addOption(new Option('--format <format>', 'file format').choices([...EXPORT_FORMATS]).default('csv'))
    .option('--out <dir>', 'output directory (created; must be empty). Default: <DATA_DIR>/exports/<slug>-<time>-<format>, owner-only and outside git')
    .option('--county <code>', 'only this county (KE-01 … KE-47)')
    .option('--jurisdiction <target>', 'only signers in a target’s jurisdiction: its county for a county body, everyone for a national one (target id from the accountability board)')
    .option('--from <date>', 'signed on or after (YYYY-MM-DD, UTC, or ISO date-time)')
    .option('--to <date>', 'signed on or before this day (YYYY-MM-DD inclusive) or before this ISO date-time')
    .option('--verified-only', 'only counted (confirmed) signatures, as --pending exclude')
    .addOption(new Option('--split <by>', 'one file per county (xlsx: one workbook, a sheet per county)').choices(['county']))
    .addOption(new Option('--locale <locale>', 'language of the PDF pack and county names').choices(['en', 'sw']).default('en'))
    .option('--include-contacts', 'add e-mail and phone (CSV, xlsx, JSON; not PDF) of signers who agreed to share them with the targets')
    .addOption(
      new Option('--pending <mode>', 'signatures not yet confirmed: leave them out, or list them marked (default: exclude for a PDF, mark for CSV/JSON)').choices([
        'exclude',
        'mark',
      ]),
    )
    .option('--addressee <target>', 'PDF only: the duty bearer the pack is addressed to, named on its cover (target id from the accountability board)')
    .option('--page-size <n>', 'rows per database query', '1000')
    .option('--zip', 'also write the pack as one zip file, <out>.zip')
    .addOption(
      new Option('--reader <where>', 'read pages on this thread, or in a worker thread beside it (faster with a spare core, ~20 MB more memory)')
        .choices(['thread', 'worker'])
        .default('thread'),
    )
    .action(
      async (opts: {
        campaign: string;
        format: ExportFormat;
        out?: string;
        county?: string;
        jurisdiction?: string;
        from?: string;
        to?: string;
        verifiedOnly?: boolean;
        split?: 'county';
        locale: 'en' | 'sw';
        includeContacts?: boolean;
        pending?: 'exclude' | 'mark';
        addressee?: string;
        pageSize: string;
        reader: 'thread' | 'worker';
        zip?: boolean;
      }) => {
        if (opts.jurisdiction && opts.county) throw new UsageError('--jurisdiction and --county cannot be combined');
        if (opts.addressee !== undefined && opts.format !== 'pdf') throw new UsageError('--addressee is named on a PDF pack’s cover: use it with --format pdf');
        const pending = opts.pending ?? (opts.format === 'pdf' ? 'exclude' : 'mark');
        if (opts.verifiedOnly && opts.pending === 'mark') throw new UsageError('--verified-only leaves out the signatures --pending mark would mark: give one of them');
        let county = opts.county ? parseCounty(opts.county) : undefined;
        const from = opts.from ? parseDate(opts.from, '--from') : undefined;
        const to = opts.to ? parseDate(opts.to, '--to', true) : undefined;
        if (from !== undefined && to !== undefined && from >= to) throw new UsageError('--from must be before --to');
        if (county && opts.split) throw new UsageError('--county and --split county cannot be combined');
        if (opts.includeContacts && opts.format === 'pdf') throw new UsageError('--include-contacts: a PDF pack never carries contacts (use --format csv or json)');
        const pageSize = parsePositiveInt(opts.pageSize, '--page-size');
        const { exportFileName, exportToDirectory } = await import('../exports/run.ts');
        await withRuntime(async (runtime) => {
          const campaignRecord = await requireCampaign(runtime, opts.campaign);
          let jurisdiction: string | undefined;
          const { packTarget } = await import('../exports/pack-cover.ts');
          const addressee = opts.addressee === undefined ? undefined : await packTarget(runtime.db, opts.addressee);
          if (opts.addressee !== undefined && !addressee) {
            throw new UsageError(`--addressee: no target with id ${opts.addressee} (see GET /v1/campaigns/${opts.campaign}/accountability)`);
          }
          if (opts.jurisdiction) {
            const { jurisdictionFilter } = await import('../exports/query.ts');
            const found = await jurisdictionFilter(runtime.db, opts.jurisdiction);
            if (!found) throw new UsageError(`--jurisdiction: no target with id ${opts.jurisdiction} (see GET /v1/campaigns/${opts.campaign}/accountability)`);
            if (found.county && opts.split) throw new UsageError('--jurisdiction of a county body and --split county cannot be combined');
            county = found.county ?? undefined;
            jurisdiction = `${found.targetId} (${found.level === 'county' ? found.county : 'national'})`;
          }
          const now = Date.now();
          // Not the working directory by default: a folder of names must not land in a git checkout or a
          // shared folder by accident. DATA_DIR is owner-only (0700) and ignored by git where it is the default.
          const dir = path.resolve(opts.out ?? path.join(runtime.config.dataDir, 'exports', exportFileName(campaignRecord, opts.format, now).replace(/\.\w+$/, `-${opts.format}`)));
          const progress = progressReporter(`export ${opts.campaign}`, io.stderr);
          try {
            const { manifest, manifestPath, signature, zipPath } = await exportToDirectory(
              runtime.db,
              runtime.crypto,
              {
                campaign: campaignRecord,
                format: opts.format,
                filter: { county, from, to, verifiedOnly: Boolean(opts.verifiedOnly) || pending === 'exclude', jurisdiction },
                locale: opts.locale,
                includeContacts: Boolean(opts.includeContacts),
                pack: { to: addressee, jurisdiction: opts.jurisdiction && opts.format === 'pdf' ? await packTarget(runtime.db, opts.jurisdiction) : undefined },
                pageSize,
                reader: opts.reader,
              },
              { dir, actor: runtime.actor, now, split: opts.split, zip: opts.zip, onProgress: (done, total) => progress.update(done, total) },
            );
            progress.stop();
            io.stdout.write(`${manifest.totalRows} rows in ${manifest.files.length} file(s)\n${dir}\n`);
            if (zipPath) io.stdout.write(`${zipPath}\n`);
            io.stderr.write(`manifest: ${manifestPath} (check with \`imlu export verify ${dir}\`)\n`);
            if (signature) io.stderr.write(`signed with key ed25519:${signature.keyId} (signature.json; SHA256SUMS for \`sha256sum -c\`)\n`);
            else io.stderr.write('warning: the pack is NOT signed: no signing key exists. Run `imlu keys signing create`, then export again.\n');
          } catch (error) {
            progress.stop();
            if (error instanceof Error && /not empty|already exists/.test(error.message)) throw new UsageError(`--out: ${error.message}`);
            throw error;
          }
        });
      },
    );
  // `imlu export --help` shows the default subcommand's options too: that is what people type it for.
  exportCmd.addHelpText('after', () => `\nimlu export [options] is imlu export create [options]:\n\n${exportCreate.helpInformation()}`);
}
