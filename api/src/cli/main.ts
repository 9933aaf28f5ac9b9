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
import type { CliContext, CliIo } from './context.ts';
import { addExamples } from './help.ts';
import { EXIT, openRuntime, UsageError, type Runtime } from './runtime.ts';

export type { CliIo } from './context.ts';

const PROCESS_IO: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr };

/** What a command module (src/cli/*-commands.ts) exports: it adds its commands to the program. */
type AddCommands = (program: Command, cli: CliContext) => void;

// One module per command group, each imported only when it is needed: `imlu export` loads the export
// commands and what they import, not the staff accounts' TOTP library, the HTTP layer the delivery command
// shares with the server, or libphonenumber's metadata, which other commands use. A campaigner's export
// starts some 20 MB smaller for it (docs/performance.md, "Exports"). Heavy modules (pdfkit, exceljs,
// yaml, zod schemas) are imported inside the commands that need them besides.
const exportCommands = () => import('./export-commands.ts').then((m) => m.addExportCommands);
const migrateCommands = () => import('./migrate-commands.ts').then((m) => m.addMigrateCommands);
const tokenCommands = () => import('./token-commands.ts').then((m) => m.addTokenCommands);
const campaignCommands = () => import('./campaign-commands.ts').then((m) => m.addCampaignCommands);
const retentionCommands = () => import('./retention-commands.ts').then((m) => m.addRetentionCommands);
const webhookCommands = () => import('./webhook-commands.ts').then((m) => m.addWebhookCommands);
const smsCommands = () => import('./sms-commands.ts').then((m) => m.addSmsCommands);
const keysCommands = () => import('./keys-commands.ts').then((m) => m.addKeysCommands);
const updatesCommands = () => import('./updates-commands.ts').then((m) => m.addUpdatesCommands);
const moderationCommands = () => import('./moderation-commands.ts').then((m) => m.addModerationCommands);
const auditCommands = () => import('./audit-commands.ts').then((m) => m.addAuditCommands);
const heldCommands = () => import('./held-commands.ts').then((m) => m.addHeldCommands);
const signerCommands = () => import('./signer-commands.ts').then((m) => m.addSignerCommands);
const outboxCommands = () => import('./outbox-commands.ts').then((m) => m.addOutboxCommands);
const targetCommands = () => import('./target-commands.ts').then((m) => m.addTargetCommands);
const deliverCommand = () => import('./deliver-command.ts').then((m) => m.addDeliverCommand);
const partnerCommands = () => import('./partner-commands.ts').then((m) => m.addPartnerCommands);
const staffCommands = () => import('./staff-commands.ts').then((m) => m.addStaffCommands);
const pledgeRemindCommands = () => import('./pledge-remind-commands.ts').then((m) => m.addPledgeRemindCommands);
// `keys signing …` and `export verify`: after `keys` and `export`, which they find by name.
const signingKeyCommands = () => import('./pack-commands.ts').then((m) => m.addSigningKeyCommands);
const exportVerifyCommand = () => import('./pack-commands.ts').then((m) => m.addExportVerifyCommand);
const pledgeCommands = () => import('./pledge-commands.ts').then((m) => m.addPledgeCommands);

/**
 * Each top-level command and the modules that define it and its subcommands, in that order
 * (cli.test.ts checks this against the program that every module builds together).
 */
export const COMMAND_MODULES: Readonly<Record<string, readonly (() => Promise<AddCommands>)[]>> = {
  export: [exportCommands, exportVerifyCommand],
  migrate: [migrateCommands],
  token: [tokenCommands],
  campaign: [campaignCommands],
  retention: [retentionCommands],
  webhook: [webhookCommands],
  sms: [smsCommands],
  keys: [keysCommands, signingKeyCommands],
  updates: [updatesCommands],
  invalidate: [moderationCommands],
  strike: [moderationCommands],
  audit: [auditCommands],
  held: [heldCommands],
  signer: [signerCommands],
  outbox: [outboxCommands],
  target: [targetCommands],
  deliver: [deliverCommand],
  'partner-view': [partnerCommands],
  staff: [staffCommands],
  pledge: [pledgeRemindCommands, pledgeCommands],
};

/** Every module once, in the order `imlu --help` lists their commands. */
const ALL_MODULES = [...new Set(Object.values(COMMAND_MODULES).flat())];

/**
 * The `imlu` program: with `command`, only that top-level command (what `runCli` needs to run it);
 * without, or for a name it does not know, every command (for `imlu --help` and commander's suggestions).
 */
export async function buildProgram(io: CliIo = PROCESS_IO, command?: string, { processExits = false }: RunOptions = {}): Promise<Command> {
  async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>, options: { migrating?: boolean; keyCheck?: 'record' | 'inspect' } = {}): Promise<T> {
    const runtime = await openRuntime({ ...options, env: io.env, stderr: io.stderr, processExits });
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

  const modules = (command !== undefined && Object.hasOwn(COMMAND_MODULES, command) && COMMAND_MODULES[command]) || ALL_MODULES;
  for (const add of await Promise.all(modules.map((load) => load()))) add(program, cli);
  addExamples(program);

  return program;
}

export interface RunOptions {
  /**
   * The process ends when the command is done, as `bin/imlu.mjs` does: its database connection may then
   * stay on the main thread (src/cli/runtime.ts). Leave it unset in a process that goes on (tests, a program
   * embedding the CLI).
   */
  processExits?: boolean;
}

/** Runs the CLI and returns its exit code (never calls process.exit itself). */
export async function runCli(argv: string[], io: CliIo = PROCESS_IO, options: RunOptions = {}): Promise<number> {
  // The command is the first argument: `imlu` itself takes no options but --help and --version.
  const program = await buildProgram(io, argv[0], options);
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
