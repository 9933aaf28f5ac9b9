/** `imlu campaign …`: campaigns from a YAML/JSON file, and the list with counts and retention. */
import type { Command } from 'commander';
import { printTable, UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

/** What `campaign list` says of a campaign's personal data: kept until when, or deleted when. */
function personalDataNote(schedule: { dueAt: number; anonymisedAt: number | null } | undefined, retentionDays: number): string {
  if (!schedule) return `kept ${retentionDays} days after the campaign ends`;
  if (schedule.anonymisedAt !== null) return `deleted ${new Date(schedule.anonymisedAt).toISOString().slice(0, 10)}`;
  return `deleted from ${new Date(schedule.dueAt).toISOString().slice(0, 10)}`;
}

/**
 * Said whenever a campaign without confirmation is applied: on such a campaign a signature counts the
 * moment it arrives, so the public counter moves for a new number and not for one that already signed.
 */
export const UNVERIFIED_WARNING =
  'warning: verification is "none": signatures count at once, unconfirmed. Anyone can then test whether a phone number or ' +
  'e-mail address has signed, by signing with it and watching the public counter, and anyone can sign in another person\'s ' +
  'name. Use "either", "sms" or "email" (the default is "either") for a campaign whose signers could be at risk. ' +
  'See docs/data-protection.md, "What a stranger can learn".\n';

export function addCampaignCommands(program: Command, { io, withRuntime, json }: CliContext): void {
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
        const { ProblemError } = await import('../http/problem.ts');
        const result = await applyCampaign(db, input, actor).catch((error: unknown) => {
          // A refusal (a pledged action or a demand in use removed, a slug taken): its reason and fields, exit 2.
          if (!(error instanceof ProblemError) || error.problem !== 'validation') throw error;
          const fields = (error.errors ?? []).map((e) => e.path).join(', ');
          throw new UsageError(`${error.detail ?? error.message}${fields ? ` (${fields})` : ''}`);
        });
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
}
