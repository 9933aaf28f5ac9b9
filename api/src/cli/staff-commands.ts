/**
 * `imlu staff …`: console staff accounts — added (the TOTP secret printed once, to this terminal, and
 * stored only encrypted), listed (never a full e-mail), removed, and their sessions listed and ended.
 */
import type { Command } from 'commander';
import { addStaff, listStaff, removeStaff, StaffExistsError } from '../staff/accounts.ts';
import { isRole, ROLE_SCOPES, ROLES } from '../staff/roles.ts';
import { deriveCsrfKey, StaffSessions } from '../staff/sessions.ts';
import { recordAudit } from '../audit/audit.ts';
import { iso, printTable, RuntimeError, UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function addStaffCommands(program: Command, { io, withRuntime, json }: CliContext): void {
  const staff = program.command('staff').description('console staff accounts and their sessions');
  staff
    .command('add')
    .description('add a staff member; prints their authenticator (TOTP) secret ONCE')
    .requiredOption('--name <name>', 'their name, as the audit log will show it')
    .requiredOption('--email <address>', 'where their sign-in links go')
    .requiredOption('--role <role>', ROLES.map((role) => `${role} (${role === 'admin' ? 'every scope' : ROLE_SCOPES[role].join(', ')})`).join('; '))
    .action((opts: { name: string; email: string; role: string }) => {
      const name = opts.name.trim();
      if (!name || name.length > 100) throw new UsageError('--name: give 1 to 100 characters');
      const email = opts.email.trim();
      if (!EMAIL.test(email) || email.length > 254) throw new UsageError('--email: give an e-mail address');
      if (!isRole(opts.role)) throw new UsageError(`--role: one of ${ROLES.join(', ')}`);
      const role = opts.role;
      return withRuntime(async ({ db, crypto, actor }) => {
        let created;
        try {
          created = await addStaff(db, crypto, { name, email, role, actor });
        } catch (error) {
          if (error instanceof StaffExistsError) throw new RuntimeError(error.message);
          throw error;
        }
        io.stderr.write(
          `Added ${created.info.id} "${name}" (${role}).\n` +
            'Their authenticator secret is shown only now. Add it to their authenticator app (scan the otpauth:// URI as a QR code,\n' +
            'or type the secret), then clear this terminal. Sign-in: open /console and give the e-mail address.\n',
        );
        io.stdout.write(`secret: ${created.secret}\nuri: ${created.uri}\n`);
      });
    });
  staff
    .command('list')
    .description('list staff members (e-mails shown only as a hint)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withRuntime(async ({ db, crypto }) => {
        const members = await listStaff(db, crypto);
        if (opts.json) return json(members);
        if (!members.length) return void io.stdout.write('no staff\n');
        printTable(io.stdout, members.map((m) => ({ id: m.id, name: m.name, role: m.role, email: m.emailHint, added: iso(m.createdAt) })));
      }),
    );
  staff
    .command('remove')
    .description('remove a staff member; their sessions end at once')
    .argument('<id>', 'staff id (from `imlu staff list`)')
    .action((id: string) =>
      withRuntime(async ({ db, crypto, actor }) => {
        const removed = await removeStaff(db, crypto, id, actor);
        if (!removed) throw new RuntimeError(`no staff member with id ${id}`);
        io.stdout.write(`removed ${id} "${removed.name}"\n`);
      }),
    );
  const sessions = staff.command('sessions').description('console sessions');
  const open = (runtime: { db: { client: ConstructorParameters<typeof StaffSessions>[0] }; blindIndexKey: Buffer }) =>
    new StaffSessions(runtime.db.client, deriveCsrfKey(runtime.blindIndexKey), Date.now);
  sessions
    .command('list')
    .description('live sessions (ids and times, never their cookies)')
    .option('--staff <id>', 'only this staff member’s')
    .option('--json', 'print JSON')
    .action((opts: { staff?: string; json?: boolean }) =>
      withRuntime(async (runtime) => {
        const live = await open(runtime).list(opts.staff);
        if (opts.json) return json(live);
        if (!live.length) return void io.stdout.write('no live sessions\n');
        printTable(io.stdout, live.map((s) => ({ id: s.id, staff: s.staffId, signedIn: iso(s.createdAt), lastSeen: iso(s.lastSeenAt), expires: iso(s.expiresAt) })));
      }),
    );
  sessions
    .command('revoke')
    .description('end a session at once (its cookie is refused from then on)')
    .argument('<id>', 'session id (from `imlu staff sessions list`)')
    .action((id: string) =>
      withRuntime(async (runtime) => {
        if (!(await open(runtime).revoke(id))) throw new RuntimeError(`no live session with id ${id}`);
        await recordAudit(runtime.db.orm, { actor: runtime.actor, action: 'staff.session-revoked', subject: id, at: Date.now() });
        io.stdout.write(`revoked session ${id}\n`);
      }),
    );
}
