/** What every command module of the CLI (`src/cli/*-commands.ts`) is given by `buildProgram`. */
import type { Runtime } from './runtime.ts';

/** Where the CLI reads its environment and writes its output (the process's own, or a test's). */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export interface CliContext {
  io: CliIo;
  /** Opens the database and keys the server uses, runs `fn`, and closes them whatever happens. */
  withRuntime: <T>(fn: (runtime: Runtime) => Promise<T>, options?: { migrating?: boolean; keyCheck?: 'record' | 'inspect' }) => Promise<T>;
  /** Prints a value as indented JSON (for `--json`). */
  json: (value: unknown) => void;
}
