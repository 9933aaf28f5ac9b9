/** `imlu partner-view …`: a partner's read-only link to its own figures (src/stats/partner-views.ts). */
import type { Command } from 'commander';
import { iso, parsePositiveInt, printTable, requireCampaign, RuntimeError, UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addPartnerCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  const view = program.command('partner-view').description("a partner's read-only link to its own figures (no personal data)");
  view
    .command('create')
    .description('make a link for one partner origin of a campaign and print it ONCE (it holds a secret)')
    .requiredOption('--campaign <slug>', 'campaign slug')
    .requiredOption('--origin <origin>', 'the partner page origin, as browsers send it: https://host[:port]')
    .option('--label <text>', 'who it is for, in your words (never a person’s name or contact)')
    .option('--days <n>', 'days until the link stops working', '180')
    .action(async (opts: { campaign: string; origin: string; label?: string; days: string }) => {
      const { createPartnerView, partnerOriginProblem, partnerViewUrl } = await import('../stats/partner-views.ts');
      const problem = partnerOriginProblem(opts.origin);
      if (problem) throw new UsageError(`--origin: ${problem}`);
      const days = parsePositiveInt(opts.days, '--days');
      if (days > 3660) throw new UsageError('--days: at most 3660');
      const label = opts.label?.trim();
      if (label !== undefined && (label.length > 200 || /[\p{Cc}]/u.test(label))) throw new UsageError('--label: one line of at most 200 characters');
      await withRuntime(async (runtime) => {
        const campaign = await requireCampaign(runtime, opts.campaign);
        const { info, token } = await createPartnerView(runtime.db, { campaignId: campaign.id, origin: opts.origin, label: label || null, days, actor: runtime.actor, now: Date.now() });
        const base = runtime.config.publicBaseUrl ?? `http://127.0.0.1:${runtime.config.port}`;
        if (!runtime.config.publicBaseUrl) io.stderr.write('PUBLIC_BASE_URL is not set: the link below uses this machine’s address.\n');
        io.stderr.write(`Created partner view ${info.id} for ${opts.origin} on ${opts.campaign}, until ${iso(info.expiresAt)}. The link is shown only now; anyone holding it sees these figures:\n`);
        io.stdout.write(`${partnerViewUrl(base, token)}\n`);
      });
    });
  view
    .command('list')
    .description('list partner views (never their links)')
    .option('--campaign <slug>', 'only this campaign')
    .option('--json', 'print JSON')
    .action((opts: { campaign?: string; json?: boolean }) =>
      withRuntime(async (runtime) => {
        const { listPartnerViews } = await import('../stats/partner-views.ts');
        const campaignId = opts.campaign ? (await requireCampaign(runtime, opts.campaign)).id : undefined;
        const views = await listPartnerViews(runtime.db, campaignId);
        if (opts.json) return json(views);
        if (!views.length) return void io.stdout.write('no partner views\n');
        printTable(
          io.stdout,
          views.map((v) => ({ id: v.id, campaign: v.campaignId, origin: v.origin, label: v.label, expires: iso(v.expiresAt), revoked: iso(v.revokedAt) })),
        );
      }),
    );
  view
    .command('revoke')
    .description('stop a partner view at once')
    .argument('<id>', 'partner view id')
    .action((id: string) =>
      withRuntime(async ({ db, actor }) => {
        const { revokePartnerView } = await import('../stats/partner-views.ts');
        const revoked = await revokePartnerView(db, id, actor, Date.now());
        if (!revoked) throw new RuntimeError(`no active partner view with id ${id}`);
        io.stdout.write(`revoked ${id} (${revoked.origin})\n`);
      }),
    );
}
