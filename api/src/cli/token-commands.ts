/** `imlu token …`: admin API tokens — created (the value printed once, only its hash stored), listed, revoked. */
import type { Command } from 'commander';
import { createAdminToken, revokeAdminToken } from '../auth/admin-tokens.ts';
import { parseScopes, SCOPES } from '../auth/scopes.ts';
import { listTokens } from '../auth/tokens.ts';
import { iso, printTable, RuntimeError, UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addTokenCommands(program: Command, { io, withRuntime, json }: CliContext): void {
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
}
