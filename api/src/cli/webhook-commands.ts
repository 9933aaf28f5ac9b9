/** `imlu webhook …`: a campaign's webhooks. */
import type { Command } from 'commander';
import { iso, printTable, requireCampaign, RuntimeError, UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addWebhookCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  const webhook = program.command('webhook').description('webhooks of a campaign (events: signature.confirmed, pledge.status_changed, moderation.flood)');
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
}
