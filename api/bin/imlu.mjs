#!/usr/bin/env node
// The `imlu` command. Runs the compiled CLI (`api/dist/cli/`, built by `pnpm --filter @imlu/api build` and
// by `pnpm start`) while it is current, that is while no source file that went into it has changed since;
// otherwise (a fresh clone, an edited source, an install without devDependencies) the TypeScript source
// through tsx, as the server runs. Both behave the same; the compiled one starts faster and in less memory
// (docs/performance.md). IMLU_CLI_BUILD names another build directory (a test's).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const API_DIR = fileURLToPath(new URL('../', import.meta.url));

/** The compiled entry module if the build is whole and newer than every source in it, else undefined. */
function currentBuild() {
  const dir = path.resolve(process.env.IMLU_CLI_BUILD || path.join(API_DIR, 'dist', 'cli'));
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(dir, 'build.json'), 'utf8'));
    for (const input of stamp.inputs) if (statSync(path.resolve(API_DIR, input)).mtimeMs > stamp.builtAt) return undefined;
  } catch {
    return undefined; // no build, or a source it lists is gone
  }
  return pathToFileURL(path.join(dir, stamp.entry)).href;
}

const compiled = currentBuild();
let runCli;
if (compiled) {
  ({ runCli } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/cli/main.ts'));
}
// This process ends with the command, so its database connection may stay on the main thread.
process.exitCode = await runCli(process.argv.slice(2), undefined, { processExits: true });
