/**
 * `imlu outbox …`: what the outbox holds, and re-sending the confirmations that stalled during a provider
 * outage (src/outbox/stalled.ts). The server re-sends them by itself once the provider takes a message
 * again; `retry` is for not waiting (after fixing SMTP_URL, say), and `--failed` for messages the provider
 * refused because of a configuration since fixed.
 */
import type { Command } from 'commander';
import { recordAudit } from '../audit/audit.ts';
import { outboxReport, reviveStalled } from '../outbox/stalled.ts';
import { iso, parsePositiveInt, printTable, requireCampaign, UsageError, type Runtime } from './runtime.ts';

interface OutboxCommandContext {
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } };
  withRuntime: <T>(fn: (runtime: Runtime) => Promise<T>) => Promise<T>;
  json: (value: unknown) => void;
}

export function addOutboxCommands(program: Command, { io, withRuntime, json }: OutboxCommandContext): void {
  const outbox = program.command('outbox').description('messages to signers and webhooks: counts, stalled and failed ones, re-sending');

  outbox
    .command('list')
    .description('messages per kind and status, then the stalled and failed ones, newest first (ids and error codes; never a recipient)')
    .option('--campaign <slug>', 'only this campaign')
    .option('--status <status>', 'only stalled or only failed messages')
    .option('--limit <n>', 'list at most this many messages', '50')
    .option('--json', 'print JSON')
    .action((opts: { campaign?: string; status?: string; limit: string; json?: boolean }) => {
      if (opts.status !== undefined && opts.status !== 'stalled' && opts.status !== 'failed') throw new UsageError('--status: stalled or failed');
      const limit = parsePositiveInt(opts.limit, '--limit');
      return withRuntime(async (runtime) => {
        const campaign = opts.campaign === undefined ? undefined : await requireCampaign(runtime, opts.campaign);
        const report = await outboxReport(runtime.db.client, { campaignId: campaign?.id, status: opts.status as 'stalled' | 'failed' | undefined, limit });
        if (opts.json) return json({ counts: report.counts, messages: report.messages.map((m) => ({ ...m, createdAt: iso(m.createdAt) })) });
        const kinds = Object.keys(report.counts);
        if (!kinds.length) return void io.stdout.write('the outbox is empty\n');
        printTable(io.stdout, kinds.map((kind) => ({ kind, ...report.counts[kind]! })));
        const stalled = kinds.reduce((n, kind) => n + report.counts[kind]!.stalled, 0);
        if (stalled) {
          io.stdout.write(
            `\n${stalled} confirmation${stalled === 1 ? '' : 's'} stalled: retries ran out while the provider failed. The server sends ` +
              'them again once the provider takes a message; `imlu outbox retry` does it now.\n',
          );
        }
        if (!report.messages.length) return;
        io.stdout.write('\n');
        printTable(
          io.stdout,
          report.messages.map((m) => ({
            id: m.id,
            kind: m.kind,
            campaign: m.campaign,
            signature: m.signatureId,
            status: m.status,
            attempts: m.attempts,
            error: m.lastError,
            queued: iso(m.createdAt),
          })),
        );
      });
    });

  outbox
    .command('retry')
    .description('send stalled confirmations again now (audited); those whose link has expired are marked failed instead')
    .option('--campaign <slug>', 'only this campaign')
    .option('--failed', 'also confirmations the provider refused (after fixing a configuration that made them fail)')
    .option('--json', 'print JSON')
    .action((opts: { campaign?: string; failed?: boolean; json?: boolean }) =>
      withRuntime(async (runtime) => {
        const campaign = opts.campaign === undefined ? undefined : await requireCampaign(runtime, opts.campaign);
        const now = Date.now();
        const result = await reviveStalled(runtime.db.client, { now, campaignId: campaign?.id, includeFailed: opts.failed === true });
        await recordAudit(runtime.db.orm, {
          actor: runtime.actor,
          action: 'outbox.retried',
          campaignId: campaign?.id ?? null,
          rowCount: result.requeued,
          at: now,
          details: { includeFailed: opts.failed === true, requeued: result.requeued, expired: result.expired },
        });
        if (opts.json) return json(result);
        io.stdout.write(`queued ${result.requeued} message${result.requeued === 1 ? '' : 's'} again; the server sends them within a second\n`);
        if (result.expired) io.stdout.write(`${result.expired} not sent: their confirmation link had expired (marked failed, link-expired)\n`);
      }),
    );
}

