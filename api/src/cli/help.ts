/**
 * Examples under every command's `--help`, kept in one place so that a command added without them is
 * noticed (cli.test.ts walks the program and fails on a command with none). Each is a real invocation
 * against the demo campaign; ids in angle brackets come from the command named beside them.
 */
import type { Command } from 'commander';

export const EXAMPLES: Record<string, string[]> = {
  'export create': [
    'imlu export --campaign justice-for-survivors',
    'imlu export --campaign justice-for-survivors --format pdf --locale sw --verified-only --out ./pack-ipoa --zip',
    'imlu export --campaign justice-for-survivors --split county --from 2026-11-01 --to 2026-11-30',
    'imlu export --campaign justice-for-survivors --format json --include-contacts --county KE-30',
  ],
  'export verify': [
    'imlu export verify ./pack-ipoa',
    'imlu export verify ./pack-ipoa.zip --public-key imlu-signing-key.pem   # an official, offline, no database',
  ],
  migrate: ['imlu migrate'],
  'token create': ['imlu token create --name "exports laptop" --scopes signatures:export,audit:read'],
  'token list': ['imlu token list', 'imlu token list --json'],
  'token revoke': ['imlu token revoke <id from imlu token list>'],
  'staff add': ['imlu staff add --name "Wanjiru Kamau" --email wanjiru@imlu.org --role campaigner'],
  'staff list': ['imlu staff list', 'imlu staff list --json'],
  'staff remove': ['imlu staff remove <id from imlu staff list>'],
  'staff sessions list': ['imlu staff sessions list', 'imlu staff sessions list --staff <id from imlu staff list>'],
  'staff sessions revoke': ['imlu staff sessions revoke <id from imlu staff sessions list>'],
  'campaign apply': ['imlu campaign apply campaigns/justice-for-survivors.yaml'],
  'pledge attendance': [
    'imlu pledge attendance attend-the-hearing 1 --file sign-in-sheet.csv',
    'imlu pledge attendance attend-the-hearing 1 --file phones.txt --skip-invalid --json',
  ],
  'campaign list': ['imlu campaign list', 'imlu campaign list --json'],
  'retention run': ['imlu retention run --dry-run', 'imlu retention run'],
  'webhook add': ['imlu webhook add --campaign justice-for-survivors --url https://crm.example.org/imlu --events signature.confirmed'],
  'webhook list': ['imlu webhook list --campaign justice-for-survivors'],
  'webhook remove': ['imlu webhook remove <id from imlu webhook list>'],
  'sms callback-url': ['imlu sms callback-url'],
  'keys status': ['imlu keys status'],
  'keys signing create': ['imlu keys signing create'],
  'keys signing list': ['imlu keys signing list', 'imlu keys signing list --json'],
  'keys signing public-key': ['imlu keys signing public-key > imlu-signing-key.pem', 'imlu keys signing public-key <key id from imlu keys signing list>'],
  'keys rotate': ['imlu keys rotate', 'imlu keys rotate --batch-size 500 --no-vacuum'],
  'updates preview': [
    'imlu updates preview --campaign justice-for-survivors --event milestone --threshold 1000',
    'imlu updates preview --campaign justice-for-survivors --event position --target <target id> --status committed',
  ],
  'updates list': ['imlu updates list --campaign justice-for-survivors'],
  'updates inbound-url': ['imlu updates inbound-url'],
  invalidate: [
    'imlu invalidate --campaign justice-for-survivors --from 2026-12-06T02:00:00+03:00 --to 2026-12-06T02:30:00+03:00',
    'imlu invalidate --campaign justice-for-survivors --email-domain mailinator.com --apply',
  ],
  strike: ['imlu strike <signature_id from an export> --reason "signer asked"', 'imlu strike <signature_id> --reason "struck by mistake" --undo'],
  audit: ['imlu audit --campaign justice-for-survivors --action export.created', 'imlu audit --from 2026-12-01 --to 2026-12-06 --json'],
  'held list': ['imlu held list --campaign justice-for-survivors'],
  'held decide': ['imlu held decide <id from imlu held list> --decision count --reason "called the family: two sisters"'],
  'signer find': ['imlu signer find --phone 0712345678', 'imlu signer find --email wanjiru@example.org --show'],
  'signer show': ['imlu signer show <id from imlu signer find>'],
  'signer withdraw': ['imlu signer withdraw <id from imlu signer find>'],
  'signer erase': ['imlu signer erase --phone 0712345678 --yes'],
  'outbox list': ['imlu outbox list --status stalled'],
  'target list': ['imlu target list', 'imlu target list --json'],
  deliver: [
    'imlu export --campaign justice-for-survivors --format pdf --out ~/packs/ipoa',
    'imlu deliver --pack ~/packs/ipoa --to "Independent Policing Oversight Authority" --on 2026-12-06 --channel in_person',
    'imlu deliver --pack ~/packs/ipoa --to <target id> --channel email --email --due 2027-01-06',
  ],
  'partner-view create': [
    'imlu partner-view create --campaign justice-for-survivors --origin https://www.partner.example --label "Partner newsletter"',
    'imlu partner-view create --campaign justice-for-survivors --origin http://localhost:5173 --days 7',
  ],
  'partner-view list': ['imlu partner-view list --campaign justice-for-survivors'],
  'partner-view revoke': ['imlu partner-view revoke <id from imlu partner-view list>'],
  'outbox retry': ['imlu outbox retry --campaign justice-for-survivors', 'imlu outbox retry --failed'],
  'pledge remind': ['imlu pledge remind --dry-run', 'imlu pledge remind --now 2027-01-11T09:00:00+03:00 --dry-run --json', 'imlu pledge remind'],
};

/** The command's path below `imlu` ("export create"), as the keys of EXAMPLES. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Adds "Examples:" after the help of every command that has them, and lists its children's on a group. */
export function addExamples(program: Command): void {
  const visit = (command: Command): void => {
    const own = EXAMPLES[commandPath(command)];
    const lines = own ?? command.commands.flatMap((child) => EXAMPLES[commandPath(child)] ?? []);
    if (lines.length && command !== program) command.addHelpText('after', `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
    command.commands.forEach(visit);
  };
  visit(program);
}
