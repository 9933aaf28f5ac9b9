/**
 * `imlu signer …`: a campaigner acting on a signer's request received by post or phone — the same rights,
 * and the same code, as the signer's own manage page (`/me`, `src/signer/records.ts`). Check who is asking
 * before you act: the command cannot tell whether the person who wrote to you holds the number.
 *
 * - `find --phone … | --email …` lists the signatures stored with a contact: campaign, id, status, dates
 *   (a name only with `--show`);
 * - `show <id>` everything stored with one signature;
 * - `withdraw <id>` takes one signature out of every count, export, pack and webhook at once;
 * - `erase --phone … | --email … --yes` erases the contact's personal data in every campaign.
 *
 * Each is written to the audit log with the CLI actor and never any personal data: no name, no contact, no
 * signature id (an export made earlier could tie an id to a name).
 */
import type { Command } from 'commander';
import { recordAudit } from '../audit/audit.ts';
import type { Contact } from '../signer/access.ts';
import { parseEmail, parsePhone } from '../signer/contact.ts';
import { eraseContact, findByContact, findById, isWithdrawable, withdrawSignature, type SignerRecord } from '../signer/records.ts';
import { iso, printTable, RuntimeError, UsageError, type Runtime } from './runtime.ts';

interface SignerCommandContext {
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } };
  withRuntime: <T>(fn: (runtime: Runtime) => Promise<T>) => Promise<T>;
  json: (value: unknown) => void;
}

function contactOf(opts: { phone?: string; email?: string }): Contact {
  if ((opts.phone === undefined) === (opts.email === undefined)) throw new UsageError('give exactly one of --phone and --email');
  const contact = opts.phone !== undefined ? parsePhone(opts.phone) : parseEmail(opts.email!);
  if (!contact) throw new UsageError(opts.phone !== undefined ? '--phone: not a valid phone number' : '--email: not a valid e-mail address');
  return contact;
}

const role = (record: SignerRecord) => (record.role === 'owner' ? 'own' : 'contact only');

function summary(record: SignerRecord, show: boolean) {
  return {
    campaign: record.campaign.slug,
    signature: record.id,
    role: role(record),
    status: record.state,
    signed: iso(record.createdAt),
    confirmed: iso(record.confirmedAt),
    ...(show && record.role === 'owner' ? { name: record.details().name } : {}),
  };
}

export function addSignerCommands(program: Command, { io, withRuntime, json }: SignerCommandContext): void {
  const signer = program
    .command('signer')
    .description("a signer's rights, on their request by post or phone: find, show, withdraw, erase (audited)");

  signer
    .command('find')
    .description('list the signatures stored with a phone number or e-mail address, in every campaign (names only with --show)')
    .option('--phone <number>', 'the phone number, as the signer gives it')
    .option('--email <address>', 'the e-mail address')
    .option('--show', 'also print the name of each signature the contact owns')
    .option('--json', 'print JSON')
    .action((opts: { phone?: string; email?: string; show?: boolean; json?: boolean }) => {
      const contact = contactOf(opts);
      return withRuntime(async ({ db, crypto, actor }) => {
        const records = await findByContact(db.client, crypto, contact);
        await recordAudit(db.orm, { actor, action: 'signer.looked_up', rowCount: records.length, details: { contact: contact.kind, show: Boolean(opts.show) } });
        const rows = records.map((r) => summary(r, Boolean(opts.show)));
        if (opts.json) return json(rows);
        if (!rows.length) return void io.stdout.write('nothing is stored with this contact\n');
        printTable(io.stdout, rows);
        if (records.some((r) => r.role === 'listed')) {
          io.stdout.write('"contact only": the contact appears on a signature that another contact confirms; erasing removes it from there\n');
        }
      });
    });

  signer
    .command('show')
    .description('print everything stored with one signature')
    .argument('<id>', 'signature id (from `imlu signer find` or an export)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withRuntime(async ({ db, crypto, actor }) => {
        const record = await findById(db.client, crypto, id);
        if (!record) throw new RuntimeError(`no signature with id ${id}`);
        await recordAudit(db.orm, { actor, action: 'signature.shown', campaignId: record.campaign.id, rowCount: 1 });
        const details = record.details();
        const shown = {
          campaign: record.campaign.slug,
          signature: record.id,
          status: record.state,
          name: details.name,
          phone: details.phone,
          email: details.email,
          county: record.county,
          comment: details.comment,
          locale: record.locale,
          signed: iso(record.createdAt),
          confirmed: iso(record.confirmedAt),
          confirmedBy: record.confirmChannel,
          consent: { ...record.consent, at: iso(record.consent.at) },
          struckFromExports: record.struck,
        };
        if (opts.json) return json(shown);
        for (const [key, value] of Object.entries(shown)) {
          io.stdout.write(`${key.padEnd(18)}${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '—')}\n`);
        }
      }),
    );

  signer
    .command('withdraw')
    .description('withdraw one signature: it stops counting at once and leaves every export, pack and webhook')
    .argument('<id>', 'signature id')
    .action((id: string) =>
      withRuntime(async ({ db, crypto, actor }) => {
        const record = await findById(db.client, crypto, id);
        if (!record) throw new RuntimeError(`no signature with id ${id}`);
        if (!isWithdrawable(record)) {
          throw new RuntimeError(`signature ${id} is ${record.state}: nothing to withdraw${record.state === 'replaced' ? ' (withdraw the version that replaced it: see `imlu signer find`)' : ''}`);
        }
        const result = await withdrawSignature(db, record, { by: 'campaigner', actor }, Date.now());
        if (!result.changed) throw new RuntimeError(`signature ${id} changed meanwhile: nothing withdrawn`);
        io.stdout.write(`withdrew ${id} from ${record.campaign.slug} (it was ${record.state}); the public counts drop at the server's next refresh (about a second)\n`);
      }),
    );

  signer
    .command('erase')
    .description("erase a contact's personal data in every campaign (withdraws its signatures first); asks for --yes")
    .option('--phone <number>', 'the phone number')
    .option('--email <address>', 'the e-mail address')
    .option('--yes', 'really erase (it cannot be undone)')
    .option('--json', 'print the report as JSON')
    .action((opts: { phone?: string; email?: string; yes?: boolean; json?: boolean }) => {
      const contact = contactOf(opts);
      return withRuntime(async ({ db, crypto, actor }) => {
        const records = await findByContact(db.client, crypto, contact);
        const owned = records.filter((r) => r.role === 'owner').length;
        const campaigns = new Set(records.map((r) => r.campaign.id)).size;
        if (!records.length) return void io.stdout.write('nothing is stored with this contact\n');
        if (!opts.yes) {
          io.stdout.write(
            `would erase ${owned} signature(s) in ${campaigns} campaign(s)` +
              (records.length > owned ? ` and remove the contact from ${records.length - owned} other signature(s)` : '') +
              '\n',
          );
          throw new UsageError('this cannot be undone: run again with --yes');
        }
        const report = await eraseContact(db, contact, records, { by: 'campaigner', actor }, Date.now());
        if (!report.walTruncated) {
          io.stderr.write('warning: another connection kept the write-ahead log from being truncated; old pages leave it at the next checkpoint (or run this again)\n');
        }
        if (opts.json) return json({ deleted: report.deleted, contactRemoved: report.contactRemoved, campaigns: report.campaigns, walTruncated: report.walTruncated });
        for (const c of report.campaigns) {
          io.stdout.write(`${c.slug}: erased ${c.deleted} signature(s)${c.contactRemoved ? `, removed the contact from ${c.contactRemoved}` : ''}\n`);
        }
      });
    });
}
