/**
 * `imlu pledge attendance <slug> <action position> --file sheet.csv`: records who was at a pledge action
 * from a sign-in sheet (issue 16; src/pledges/attendance.ts), as `POST …/attendance` does: each person's
 * live pledge of that action is kept once, audited as `pledge.attendance` with the numbers only. The
 * sheet's contacts are only hashed into the blind index, never stored, printed or logged.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { UsageError } from './runtime.ts';

export function addPledgeCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  // `imlu pledge remind` (pledge-remind-commands.ts) shares the group: whichever is added first makes it.
  const pledge = program.commands.find((c) => c.name() === 'pledge') ?? program.command('pledge');
  pledge.description("a pledge campaign's follow-through: reminders and attendance");
  pledge
    .command('attendance')
    .description('record who was at an action from a sign-in sheet: one phone or e-mail per line, or a CSV with a phone and/or email column')
    .argument('<slug>', 'the campaign')
    .argument('<position>', 'the action, by its position in the campaign (1 = first)')
    .requiredOption('--file <path>', 'the sheet (UTF-8 text or CSV)')
    .option('--skip-invalid', 'leave out lines that are neither a phone number nor an e-mail address, instead of refusing the sheet')
    .option('--json', 'print JSON')
    .action((slug: string, position: string, opts: { file: string; skipInvalid?: boolean; json?: boolean }) =>
      withRuntime(async ({ db, crypto, actor, campaigns }) => {
        const { MAX_ATTENDANCE_CONTACTS, parseSheet, recordAttendance, sheetEntries } = await import('../pledges/attendance.ts');
        const campaign = await campaigns.findBySlug(slug);
        if (!campaign) throw new UsageError(`no campaign with the slug ${slug}`);
        const action = campaign.actions.find((a) => String(a.position) === position.trim());
        if (!action) throw new UsageError(`${slug} has no action ${position} (its actions: ${campaign.actions.map((a) => a.position).join(', ') || 'none'})`);
        const text = await readFile(opts.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new UsageError(`cannot read ${opts.file}: ${error.code ?? error.message}`);
        });
        let entries: string[];
        try {
          entries = sheetEntries(text);
        } catch (error) {
          // The parser's message names a line and a column, never the cell's content.
          throw new UsageError(`${opts.file} is not a readable CSV: ${(error as Error).message.split('\n')[0]}`);
        }
        const { contacts, invalid } = parseSheet(entries);
        if (invalid.length && !opts.skipInvalid) {
          // Entry numbers only: the entries are personal data and do not belong in a terminal's scrollback.
          throw new UsageError(
            `${invalid.length} entries of the sheet are neither a phone number nor an e-mail address (entries ${invalid.slice(0, 20).map((i) => i + 1).join(', ')}${invalid.length > 20 ? ', …' : ''}); correct them or pass --skip-invalid`,
          );
        }
        if (!contacts.length) throw new UsageError('the sheet has no phone numbers or e-mail addresses');
        if (contacts.length > MAX_ATTENDANCE_CONTACTS) throw new UsageError(`at most ${MAX_ATTENDANCE_CONTACTS} contacts per sheet; split it`);
        const result = await recordAttendance(db, crypto, campaign.id, action.id, contacts, actor, Date.now());
        if (opts.json) return json({ action: action.position, skipped: invalid.length, ...result });
        io.stdout.write(
          `action ${action.position} (${action.title.en}): ${result.matched} matched, ${result.newlyKept} newly kept, ${result.alreadyKept} already kept, ${result.notFound} not found` +
            (invalid.length ? `, ${invalid.length} lines skipped` : '') +
            '\n',
        );
      }),
    );
}
