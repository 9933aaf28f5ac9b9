/**
 * `imlu` — the campaigner's command line (`pnpm imlu …` from the repository root).
 *
 * It reads the same environment as the server (DATABASE_URL, DATA_DIR, ENCRYPTION_KEY, BLIND_INDEX_KEY …,
 * see src/config/env.ts) and works on the same database. Every command that changes something or exports
 * is written to the audit log as `cli:<os user>`.
 *
 * Exit codes: 0 success; 1 runtime error (database, files, a failed verification); 2 usage or validation
 * error. Errors go to stderr; results to stdout.
 */
import { Command, CommanderError } from 'commander';
import { addAuditCommands } from './audit-commands.ts';
import { addCampaignCommands } from './campaign-commands.ts';
import type { CliContext, CliIo } from './context.ts';
import { addDeliverCommand } from './deliver-command.ts';
import { addExportCommands } from './export-commands.ts';
import { addHeldCommands } from './held-commands.ts';
import { addExamples } from './help.ts';
import { addKeysCommands } from './keys-commands.ts';
import { addMigrateCommands } from './migrate-commands.ts';
import { addModerationCommands } from './moderation-commands.ts';
import { addOutboxCommands } from './outbox-commands.ts';
import { addPackCommands } from './pack-commands.ts';
import { addPartnerCommands } from './partner-commands.ts';
import { addPledgeCommands } from './pledge-commands.ts';
import { addPledgeRemindCommands } from './pledge-remind-commands.ts';
import { addRetentionCommands } from './retention-commands.ts';
import { addSignerCommands } from './signer-commands.ts';
import { addTargetCommands } from './target-commands.ts';
import { addSmsCommands } from './sms-commands.ts';
import { addStaffCommands } from './staff-commands.ts';
import { addTokenCommands } from './token-commands.ts';
import { addUpdatesCommands } from './updates-commands.ts';
import { addWebhookCommands } from './webhook-commands.ts';
import { EXIT, openRuntime, UsageError, type Runtime } from './runtime.ts';
// One module per command (src/cli/*-commands.ts). Heavy modules (pdfkit, exceljs, yaml, zod schemas) are
// imported inside the commands that need them, so `imlu token list` does not pay for the PDF library.

export type { CliIo } from './context.ts';
export { UNVERIFIED_WARNING } from './campaign-commands.ts';

const PROCESS_IO: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr };

export function buildProgram(io: CliIo = PROCESS_IO): Command {
  async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>, options: { migrating?: boolean; keyCheck?: 'record' | 'inspect' } = {}): Promise<T> {
    const runtime = await openRuntime({ ...options, env: io.env, stderr: io.stderr });
    try {
      return await fn(runtime);
    } finally {
      await runtime.close();
    }
  }
  const json = (value: unknown): void => {
    io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };

  const cli: CliContext = { io, withRuntime, json };

  const program = new Command('imlu')
    .description('IMLU Campaign SDK: tokens, campaigns, exports, moderation, keys and the audit log')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  // One module per command (src/cli/*-commands.ts).
  addExportCommands(program, cli);
  addMigrateCommands(program, cli);
  addTokenCommands(program, cli);
  addCampaignCommands(program, cli);
  addRetentionCommands(program, cli);
  addWebhookCommands(program, cli);
  addSmsCommands(program, cli);
  addKeysCommands(program, cli);
  addUpdatesCommands(program, cli);
  addModerationCommands(program, cli);
  addAuditCommands(program, cli);
  addHeldCommands(program, cli);
  addSignerCommands(program, cli);
  addOutboxCommands(program, cli);
  addTargetCommands(program, cli);
  addDeliverCommand(program, cli);
  addPartnerCommands(program, cli);
  addStaffCommands(program, cli);
  addPledgeRemindCommands(program, cli);
  // `keys signing …` and `export verify`: after `keys` and `export`, which it finds by name.
  addPackCommands(program, cli);
  addPledgeCommands(program, cli);
  addExamples(program);

  return program;
}

/** Runs the CLI and returns its exit code (never calls process.exit itself). */
export async function runCli(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const program = buildProgram(io);
  // At every depth (`imlu keys signing create` is three deep), so no usage error calls process.exit.
  const override = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with "errors" whose code is 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`imlu: ${error.message}\n`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`imlu: ${message}\n`);
    return EXIT.runtime;
  }
}
