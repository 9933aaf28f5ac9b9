/**
 * `imlu` — the campaigner's command line (`pnpm imlu …` from the repository root).
 *
 * It reads the same environment as the server (DATABASE_URL, DATA_DIR, ENCRYPTION_KEY, BLIND_INDEX_KEY …,
 * see src/config/env.ts) and works on the same database. Every command that changes something or exports
 * is written to the audit log as `cli:<os user>`.
 *
 * Exit codes: 0 success; 1 runtime error (database, files, a failed verification); 2 usage or validation
 * error. Errors go to stderr; results to stdout.
 */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
// Heavy modules (pdfkit, csv, yaml, zod schemas) are imported inside the commands that need them, so
// `imlu token list` does not pay for the PDF library at start-up.
import { listAudit, recordAudit } from '../audit/audit.ts';
import { createAdminToken, revokeAdminToken } from '../auth/admin-tokens.ts';
import { parseScopes, SCOPES } from '../auth/scopes.ts';
import { listTokens } from '../auth/tokens.ts';
import { migrateDb } from '../db/client.ts';
import { backfillPhoneNameKeys } from '../db/backfill.ts';
import { verifyKeyFingerprint } from '../db/key-check.ts';
import type { RecordableStatus } from '../accountability/schemas.ts';
import type { ExportFormat } from '../exports/run.ts';
import { strikeSignature } from '../exports/strike.ts';
import { invalidateSignatures, invalidationFilters } from '../moderation/moderation.ts';
import { progressReporter } from './progress.ts';
import { addOutboxCommands } from './outbox-commands.ts';
import { addSignerCommands } from './signer-commands.ts';

/** EXPORT_FORMATS of @imlu/contracts; repeated here to keep start-up light. */
const EXPORT_FORMATS = ['csv', 'json', 'pdf', 'xlsx'] as const satisfies readonly ExportFormat[];
/** RECORDABLE_STATUSES of src/accountability/schemas.ts, for the same reason. */
const POSITION_CHOICES = ['acknowledged', 'committed', 'declined', 'delivered', 'broken'] as const satisfies readonly RecordableStatus[];
import { EXIT, iso, openRuntime, parseCounty, parseDate, parsePositiveInt, printTable, requireCampaign, RuntimeError, UsageError, type Runtime } from './runtime.ts';

/** Where the CLI reads its environment and writes its output (the process's own, or a test's). */

/**
 * Said whenever a campaign without confirmation is applied: on such a campaign a signature counts the
 * moment it arrives, so the public counter moves for a new number and not for one that already signed.
 */
/** What `campaign list` says of a campaign's personal data: kept until when, or deleted when. */
function personalDataNote(schedule: { dueAt: number; anonymisedAt: number | null } | undefined, retentionDays: number): string {
  if (!schedule) return `kept ${retentionDays} days after the campaign ends`;
  if (schedule.anonymisedAt !== null) return `deleted ${new Date(schedule.anonymisedAt).toISOString().slice(0, 10)}`;
  return `deleted from ${new Date(schedule.dueAt).toISOString().slice(0, 10)}`;
}

export const UNVERIFIED_WARNING =
  'warning: verification is "none": signatures count at once, unconfirmed. Anyone can then test whether a phone number or ' +
  'e-mail address has signed, by signing with it and watching the public counter, and anyone can sign in another person\'s ' +
  'name. Use "either", "sms" or "email" (the default is "either") for a campaign whose signers could be at risk. ' +
  'See docs/data-protection.md, "What a stranger can learn".\n';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

const PROCESS_IO: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr };

export function buildProgram(io: CliIo = PROCESS_IO): Command {
  async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>, options: { migrating?: boolean; keyCheck?: 'record' | 'inspect' } = {}): Promise<T> {
    const runtime = await openRuntime({ ...options, env: io.env, stderr: io.stderr });
    try {
      return await fn(runtime);
    } finally {
      runtime.close();
    }
  }
  const json = (value: unknown): void => {
    io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };

  const program = new Command('imlu')
    .description('IMLU Campaign SDK: tokens, campaigns, exports, moderation, keys and the audit log')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

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

  // --- tokens
  const token = program.command('token').description('admin API tokens');
  token
    .command('create')
    .description('create a token and print it ONCE (only its SHA-256 is stored)')
    .requiredOption('--name <name>', 'what the token is for, e.g. "exports laptop"')
    .requiredOption('--scopes <list>', `comma-separated scopes, or "all": ${SCOPES.join(', ')}`)
    .action((opts: { name: string; scopes: string }) => {
      let scopes;
      try {
        scopes = parseScopes(opts.scopes);
      } catch (error) {
        throw new UsageError(`--scopes: ${(error as Error).message}`);
      }
      const name = opts.name.trim();
      if (!name || name.length > 100) throw new UsageError('--name: give 1 to 100 characters');
      return withRuntime(async ({ db, actor }) => {
        const created = await createAdminToken(db, { name, scopes, actor });
        io.stderr.write(`Created token ${created.info.id} "${name}" with scopes ${scopes.join(', ')}.\nIt is shown only now; store it in a password manager:\n`);
        io.stdout.write(`${created.token}\n`);
      });
    });
  token
    .command('list')
    .description('list tokens (never their values)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withRuntime(async ({ db }) => {
        const tokens = await listTokens(db);
        if (opts.json) return json(tokens);
        if (!tokens.length) return void io.stdout.write('no tokens\n');
        printTable(io.stdout,
          tokens.map((t) => ({
            id: t.id,
            name: t.name,
            scopes: t.scopes.join(','),
            created: iso(t.createdAt),
            lastUsed: iso(t.lastUsedAt),
            revoked: iso(t.revokedAt),
          })),
        );
      }),
    );
  token
    .command('revoke')
    .description('revoke a token; it stops working at once')
    .argument('<id>', 'token id (from `imlu token list`)')
    .action((id: string) =>
      withRuntime(async ({ db, actor }) => {
        const revoked = await revokeAdminToken(db, id, actor);
        if (!revoked) throw new RuntimeError(`no token with id ${id}`);
        io.stdout.write(`revoked ${id} "${revoked.name}"\n`);
      }),
    );

  // --- campaigns
  const campaign = program.command('campaign').description('campaigns');
  campaign
    .command('apply')
    .description('create or update (by slug) a campaign and its demands from a YAML or JSON file')
    .argument('<file>', 'campaign file (.yaml, .yml or .json)')
    .action(async (file: string) => {
      const { loadCampaignFile } = await import('./campaign-file.ts');
      const { applyCampaign } = await import('../campaigns/input.ts');
      const input = await loadCampaignFile(file);
      await withRuntime(async ({ db, actor }) => {
        const result = await applyCampaign(db, input, actor);
        if (result.created) io.stdout.write(`created campaign ${input.slug} (${result.id})\n`);
        else if (result.changed.length) io.stdout.write(`updated campaign ${input.slug}: ${result.changed.join(', ')}\n`);
        else io.stdout.write(`campaign ${input.slug} unchanged\n`);
        if (input.verification === 'none') io.stderr.write(UNVERIFIED_WARNING);
      });
    });
  campaign
    .command('list')
    .description('list campaigns with their counted and pending signatures, and when their signers\' personal data is deleted')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withRuntime(async ({ db }) => {
        const { retentionSchedule } = await import('../retention/retention.ts');
        const schedule = new Map((await retentionSchedule(db.client, Date.now())).map((c) => [c.slug, c]));
        const result = await db.client.execute(
          `SELECT c.id, c.slug, c.status, c.kind, c.goal, c.title_en, c.retention_days,
                  COALESCE(n.counted, 0) AS counted, COALESCE(n.pending, 0) AS pending, COALESCE(n.suspect, 0) AS suspect
           FROM campaigns c LEFT JOIN campaign_counts n ON n.campaign_id = c.id AND n.bucket = 'total'
           ORDER BY c.created_at`,
        );
        const rows = result.rows.map((r) => ({
          slug: String(r['slug']),
          status: String(r['status']),
          kind: String(r['kind']),
          counted: Number(r['counted']),
          pending: Number(r['pending']),
          suspect: Number(r['suspect']),
          goal: r['goal'] === null ? null : Number(r['goal']),
          title: String(r['title_en']),
          retentionDays: Number(r['retention_days']),
          // Open campaigns: "N days after close"; ended ones: the date; done: when it was deleted.
          personalData: personalDataNote(schedule.get(String(r['slug'])), Number(r['retention_days'])),
        }));
        if (opts.json) return json(rows);
        if (!rows.length) return void io.stdout.write('no campaigns\n');
        printTable(io.stdout, rows);
      }),
    );

  // --- retention
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

  // --- exports
  const exportCmd = program.command('export').description('export signatures (CSV, xlsx, OSDI JSON or a PDF delivery pack) with a manifest');
  exportCmd
    .command('create', { isDefault: true })
    .description('write an export into a new directory, with manifest.json (default subcommand)')
    .requiredOption('--campaign <slug>', 'campaign slug')
    .addOption(new Option('--format <format>', 'file format').choices([...EXPORT_FORMATS]).default('csv'))
    .option('--out <dir>', 'output directory (created; must be empty). Default: ./exports/<slug>-<time>-<format>')
    .option('--county <code>', 'only this county (KE-01 … KE-47)')
    .option('--jurisdiction <target>', 'only signers in a target’s jurisdiction: its county for a county body, everyone for a national one (target id from the accountability board)')
    .option('--from <date>', 'signed on or after (YYYY-MM-DD, UTC, or ISO date-time)')
    .option('--to <date>', 'signed on or before this day (YYYY-MM-DD inclusive) or before this ISO date-time')
    .option('--verified-only', 'only counted (confirmed) signatures; default: counted and pending')
    .addOption(new Option('--split <by>', 'one file per county (xlsx: one workbook, a sheet per county)').choices(['county']))
    .addOption(new Option('--locale <locale>', 'language of the PDF pack and county names').choices(['en', 'sw']).default('en'))
    .option('--include-contacts', 'add e-mail and phone (CSV, xlsx, JSON; not PDF) of signers who agreed to share them with the targets')
    .option('--page-size <n>', 'rows per database query', '1000')
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
        pageSize: string;
        reader: 'thread' | 'worker';
      }) => {
        if (opts.jurisdiction && opts.county) throw new UsageError('--jurisdiction and --county cannot be combined');
        let county = opts.county ? parseCounty(opts.county) : undefined;
        const from = opts.from ? parseDate(opts.from, '--from') : undefined;
        const to = opts.to ? parseDate(opts.to, '--to', true) : undefined;
        if (from !== undefined && to !== undefined && from >= to) throw new UsageError('--from must be before --to');
        if (county && opts.split) throw new UsageError('--county and --split county cannot be combined');
        const pageSize = parsePositiveInt(opts.pageSize, '--page-size');
        const { exportFileName, exportToDirectory } = await import('../exports/run.ts');
        await withRuntime(async (runtime) => {
          const campaignRecord = await requireCampaign(runtime, opts.campaign);
          let jurisdiction: string | undefined;
          if (opts.jurisdiction) {
            const { jurisdictionFilter } = await import('../exports/query.ts');
            const found = await jurisdictionFilter(runtime.db, opts.jurisdiction);
            if (!found) throw new UsageError(`--jurisdiction: no target with id ${opts.jurisdiction} (see GET /v1/campaigns/${opts.campaign}/accountability)`);
            if (found.county && opts.split) throw new UsageError('--jurisdiction of a county body and --split county cannot be combined');
            county = found.county ?? undefined;
            jurisdiction = `${found.targetId} (${found.level === 'county' ? found.county : 'national'})`;
          }
          const now = Date.now();
          const dir = path.resolve(opts.out ?? path.join('exports', exportFileName(campaignRecord, opts.format, now).replace(/\.\w+$/, `-${opts.format}`)));
          const progress = progressReporter(`export ${opts.campaign}`, io.stderr);
          try {
            const { manifest, manifestPath } = await exportToDirectory(
              runtime.db,
              runtime.crypto,
              {
                campaign: campaignRecord,
                format: opts.format,
                filter: { county, from, to, verifiedOnly: Boolean(opts.verifiedOnly), jurisdiction },
                locale: opts.locale,
                includeContacts: Boolean(opts.includeContacts),
                pageSize,
                reader: opts.reader,
              },
              { dir, actor: runtime.actor, now, split: opts.split, onProgress: (done, total) => progress.update(done, total) },
            );
            progress.stop();
            io.stdout.write(`${manifest.totalRows} rows in ${manifest.files.length} file(s)\n${dir}\n`);
            io.stderr.write(`manifest: ${manifestPath} (check with \`imlu export verify ${dir}\`)\n`);
          } catch (error) {
            progress.stop();
            if (error instanceof Error && /not empty/.test(error.message)) throw new UsageError(`--out: ${error.message}`);
            throw error;
          }
        });
      },
    );
  exportCmd
    .command('verify')
    .description('re-check every file of an export against its manifest.json (exit 1 on any difference)')
    .argument('<dir>', 'export directory')
    .action(async (dir: string) => {
      const { verifyManifest } = await import('../exports/manifest.ts');
      const result = await verifyManifest(dir);
      if (!result.ok) {
        io.stderr.write(`${result.problems.map((p) => `FAILED ${p}`).join('\n')}\n`);
        throw new RuntimeError(`${dir}: the export does not match its manifest`);
      }
      io.stdout.write(`OK: ${result.checked} file(s) match manifest.json\n`);
    });

  // --- webhooks
  const webhook = program.command('webhook').description('webhooks of a campaign (events: signature.confirmed, pledge.status_changed)');
  webhook
    .command('add')
    .description('add a webhook and print its signing secret ONCE')
    .requiredOption('--campaign <slug>', 'campaign slug')
    .requiredOption('--url <url>', 'https URL (http only for localhost; in production public addresses only)')
    .option('--events <list>', 'comma-separated events', 'signature.confirmed')
    .action(async (opts: { campaign: string; url: string; events: string }) => {
      const { createWebhook, WEBHOOK_EVENTS, webhookUrlProblem } = await import('../webhooks/webhooks.ts');
      const problem = webhookUrlProblem(opts.url);
      if (problem) throw new UsageError(`--url: ${problem}`);
      const events = opts.events.split(',').map((e) => e.trim()).filter(Boolean);
      const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
      if (unknown.length || !events.length) throw new UsageError(`--events: give one or more of ${WEBHOOK_EVENTS.join(', ')}`);
      await withRuntime(async (runtime) => {
        // As the HTTP API checks it (webhooks/targets.ts): in production, public addresses only.
        const { systemResolver, webhookTargetProblem } = await import('../webhooks/targets.ts');
        const targetProblem = await webhookTargetProblem(opts.url, { publicOnly: runtime.config.nodeEnv === 'production', resolve: systemResolver });
        if (targetProblem) throw new UsageError(`--url: ${targetProblem}`);
        const campaignRecord = await requireCampaign(runtime, opts.campaign);
        const { info, secret } = await createWebhook(runtime.db, runtime.crypto, {
          campaignId: campaignRecord.id,
          url: opts.url,
          events: events as (typeof WEBHOOK_EVENTS)[number][],
          actor: runtime.actor,
        });
        io.stderr.write(`Created webhook ${info.id} for ${opts.campaign}. Its signing secret is shown only now:\n`);
        io.stdout.write(`${secret}\n`);
      });
    });
  webhook
    .command('list')
    .description('list webhooks (never their secrets)')
    .option('--campaign <slug>', 'only this campaign')
    .option('--json', 'print JSON')
    .action((opts: { campaign?: string; json?: boolean }) =>
      withRuntime(async (runtime) => {
        const { listWebhooks } = await import('../webhooks/webhooks.ts');
        const campaignId = opts.campaign ? (await requireCampaign(runtime, opts.campaign)).id : undefined;
        const hooks = await listWebhooks(runtime.db, campaignId);
        if (opts.json) return json(hooks);
        if (!hooks.length) return void io.stdout.write('no webhooks\n');
        printTable(io.stdout, hooks.map((h) => ({ id: h.id, campaign: h.campaignId, url: h.url, events: h.events.join(','), created: iso(h.createdAt) })));
      }),
    );
  webhook
    .command('remove')
    .description('delete a webhook; deliveries still queued for it are skipped')
    .argument('<id>', 'webhook id')
    .action((id: string) =>
      withRuntime(async ({ db, actor }) => {
        const { deleteWebhook } = await import('../webhooks/webhooks.ts');
        const deleted = await deleteWebhook(db, id, actor);
        if (!deleted) throw new RuntimeError(`no webhook with id ${id}`);
        io.stdout.write(`removed ${id} (${deleted.url})\n`);
      }),
    );

  // --- SMS
  const sms = program.command('sms').description("SMS confirmation through Africa's Talking");
  sms
    .command('callback-url')
    .description("print the delivery-report callback URL to paste into the Africa's Talking dashboard (it contains a secret)")
    .action(() =>
      withRuntime(async ({ config, blindIndexKey }) => {
        // The server's own address (its default for links) is never one Africa's Talking can reach.
        if (!config.publicBaseUrl) {
          throw new UsageError("PUBLIC_BASE_URL is not set: set it to the address Africa's Talking reaches this API at (e.g. https://sign.imlu.org)");
        }
        const { deliveryReportUrl } = await import('../messages/sms-reports.ts');
        io.stderr.write("Paste this into the Africa's Talking dashboard (SMS → SMS Callback URLs → Delivery Reports). It contains a secret: keep it out of tickets and chats.\n");
        io.stdout.write(`${deliveryReportUrl(config.publicBaseUrl, blindIndexKey)}\n`);
      }),
    );

  // --- keys
  const keysCmd = program.command('keys').description('encryption keys: which key the stored values are under, and rotation to a new ENCRYPTION_KEY');
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

  // --- updates to supporters
  const updates = program.command('updates').description('updates to signers who opted in: previews, what each event reached, the STOP callback URL');
  updates
    .command('preview')
    .description('show the SMS (with its segment count) and the e-mail of one kind of update, in English and Kiswahili')
    .requiredOption('--campaign <slug>', 'campaign slug')
    .addOption(new Option('--event <event>', 'kind of event').choices(['position', 'milestone', 'closed']).makeOptionMandatory())
    .option('--target <id>', 'position: this duty bearer (target id); default the latest change, else the asked one with the longest name')
    .addOption(new Option('--status <status>', 'position: this status').choices([...POSITION_CHOICES]))
    .option('--threshold <n>', 'milestone: this threshold; default the next one')
    .option('--json', 'print JSON')
    .action(
      (opts: { campaign: string; event: 'position' | 'milestone' | 'closed'; target?: string; status?: RecordableStatus; threshold?: string; json?: boolean }) => {
        const threshold = opts.threshold === undefined ? undefined : parsePositiveInt(opts.threshold, '--threshold');
        return withRuntime(async ({ db, config, blindIndexKey }) => {
          const { campaignForUpdates, unsubscribeTokens } = await import('../updates/send.ts');
          const { previewUpdate } = await import('../updates/preview.ts');
          const { smsRepliesReachUs } = await import('../updates/settings.ts');
          const campaignRecord = await campaignForUpdates(db.client, opts.campaign);
          if (!campaignRecord) throw new RuntimeError(`no campaign with the slug "${opts.campaign}" (see \`imlu campaign list\`)`);
          const base = config.publicBaseUrl ?? `http://127.0.0.1:${config.port}`;
          const preview = await previewUpdate(
            { client: db.client, publicBaseUrl: () => base, unsubscribe: unsubscribeTokens(blindIndexKey), replyStop: smsRepliesReachUs(config) },
            campaignRecord,
            opts.event,
            { targetId: opts.target, status: opts.status, threshold },
          );
          if (opts.json) return json(preview);
          const indent = (text: string) => text.trimEnd().split('\n').map((line) => `    ${line}`.trimEnd()).join('\n');
          io.stdout.write(
            `${opts.event} update of ${opts.campaign}: ${preview.enabled ? 'this campaign sends it' : 'this campaign does NOT send it (add it to updates.events in the campaign file)'}\n` +
              `${preview.sample ? 'example: made up (the campaign has no data of its own for it yet)' : "example: the campaign's own data"}\n`,
          );
          for (const [locale, name] of [['en', 'English'], ['sw', 'Kiswahili']] as const) {
            const { sms, email } = preview.messages[locale];
            io.stdout.write(
              `\n${name} SMS (${sms.encoding}, ${sms.characters} characters, ${sms.segments} segment${sms.segments === 1 ? '' : 's'}):\n${indent(sms.text)}\n` +
                `\n${name} e-mail:\n${indent(`Subject: ${email.subject}\n\n${email.text}`)}\n`,
            );
          }
          if (!config.publicBaseUrl) io.stderr.write('note: PUBLIC_BASE_URL is not set: links above use the API\'s local address, and the SMS length will differ\n');
        });
      },
    );
  updates
    .command('list')
    .description("a campaign's update settings and its latest events: signers reached, skipped by the throttle, messages sent and failed")
    .requiredOption('--campaign <slug>', 'campaign slug')
    .option('--json', 'print JSON')
    .action((opts: { campaign: string; json?: boolean }) =>
      withRuntime(async (runtime) => {
        const campaignRecord = await requireCampaign(runtime, opts.campaign);
        const { updatesReport } = await import('../updates/report.ts');
        const report = await updatesReport(runtime.db.client, campaignRecord.id);
        if (opts.json) return json(report);
        io.stdout.write(`events that send updates: ${report.settings.events.join(', ') || 'none'}; link: ${report.settings.link ?? `/c/${opts.campaign}`}\n`);
        if (!report.events.length) return void io.stdout.write('no events yet\n');
        printTable(
          io.stdout,
          report.events.map((e) => ({
            at: iso(Date.parse(e.createdAt)),
            event: e.key,
            status: e.status,
            eligible: e.eligible,
            queued: e.queued,
            throttled: e.skipped,
            pending: e.messages.pending,
            sent: e.messages.sent,
            skipped: e.messages.skipped,
            failed: e.messages.failed,
          })),
        );
      }),
    );
  updates
    .command('inbound-url')
    .description("print the URL for incoming messages and bulk SMS opt-outs in the Africa's Talking dashboard (STOP replies; it contains a secret)")
    .action(() =>
      withRuntime(async ({ config, blindIndexKey }) => {
        if (!config.publicBaseUrl) {
          throw new UsageError("PUBLIC_BASE_URL is not set: set it to the address Africa's Talking reaches this API at (e.g. https://sign.imlu.org)");
        }
        const { inboundSmsUrl } = await import('../updates/stop.ts');
        io.stderr.write(
          "Paste this into the Africa's Talking dashboard, under SMS → SMS Callback URLs → Incoming Messages and → Bulk SMS Opt Out. " +
            'It contains a secret: keep it out of tickets and chats.\n',
        );
        io.stdout.write(`${inboundSmsUrl(config.publicBaseUrl, blindIndexKey)}\n`);
      }),
    );

  // --- moderation
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
            campaign: e.campaignId,
            subject: e.subject,
            rows: e.rowCount,
            details: JSON.stringify(e.details),
          })),
        );
      });
    });

  // --- signatures held for review (a family phone's name beyond the campaign's limit)
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

  // --- a signer's rights, on their request by post or phone (src/cli/signer-commands.ts)
  addSignerCommands(program, { io, withRuntime, json });
  // --- the outbox: stalled and failed messages, re-sending (src/cli/outbox-commands.ts)
  addOutboxCommands(program, { io, withRuntime, json });

  return program;
}

/** Runs the CLI and returns its exit code (never calls process.exit itself). */
export async function runCli(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const program = buildProgram(io);
  program.exitOverride();
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with "errors" whose code is 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`imlu: ${error.message}\n`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`imlu: ${message}\n`);
    return EXIT.runtime;
  }
}
