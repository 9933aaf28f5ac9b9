/** `imlu updates …`: updates to signers who opted in — previews, what each event reached, the STOP callback URL. */
import { Option, type Command } from 'commander';
import type { RecordableStatus } from '../accountability/schemas.ts';
import { iso, parsePositiveInt, printTable, requireCampaign, RuntimeError, UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

/** RECORDABLE_STATUSES of src/accountability/schemas.ts, repeated here to keep start-up light. */
const POSITION_CHOICES = ['acknowledged', 'committed', 'declined', 'delivered', 'broken'] as const satisfies readonly RecordableStatus[];

export function addUpdatesCommands(program: Command, { io, withRuntime, json }: CliContext): void {
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
}
