/**
 * `pnpm --filter @imlu/api build` (run by `pnpm start` too): the `imlu` command compiled to plain
 * JavaScript in `api/dist/cli/`, which `bin/imlu.mjs` runs while it is current. Through tsx the command
 * started at ~130 MB and 3 s (tsx compiles every module at start); compiled, it starts in a fraction of
 * both (docs/performance.md, "Exports").
 *
 * One ES module per entry with the lazily imported commands split into chunks, so `imlu token list` still
 * loads no export or PDF code. Packages stay external (resolved from `api/node_modules` at run time, as
 * under tsx) except the workspace's own `@imlu/*`, whose package entries are TypeScript source.
 *
 * Modules find their files relative to themselves (`new URL('../../drizzle', import.meta.url)` in
 * db/client.ts, the fonts in exports/pdf.ts, REPO_ROOT in config/env.ts): every source module sits two
 * folders below `api/`, so the output must too, or those URLs would point elsewhere.
 *
 * `build.json`, written last, lists every source file that went in and when the build started; the bin
 * uses the build only while none of them is newer, so an edited source is never run from a stale build.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const API_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_OUT_DIR = path.join(API_DIR, 'dist', 'cli');
export const STAMP_FILE = 'build.json';

/** Output name (without `.mjs`) → source, relative to `api/`. */
const ENTRIES = {
  imlu: 'src/cli/main.ts',
  // A worker thread's module is a file of its own, found beside the module that starts it (exports/reader.ts,
  // db/thread/client.ts).
  'reader.worker': 'src/exports/reader.worker.mjs',
  worker: 'src/db/thread/worker.mjs',
};

export interface BuildStamp {
  /** ms since the epoch, taken before esbuild read any source. */
  builtAt: number;
  /** The module `bin/imlu.mjs` imports, relative to the build directory. */
  entry: string;
  /** Every source file bundled, relative to `api/`. */
  inputs: string[];
}

/** Everything but `@imlu/*` stays a run-time import from node_modules. */
const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@imlu/') ? undefined : { path: args.path, external: true }));
  },
};

export async function buildCli(outDir: string = DEFAULT_OUT_DIR): Promise<BuildStamp> {
  const depth = path.relative(API_DIR, outDir).split(path.sep);
  if (depth.length !== 2 || depth.includes('..')) throw new Error(`${outDir}: the build must sit two folders below ${API_DIR}`);
  mkdirSync(outDir, { recursive: true });
  // No stamp while files are replaced: the bin falls back to the source until the build is whole.
  rmSync(path.join(outDir, STAMP_FILE), { force: true });
  const builtAt = Date.now();
  const result = await build({
    absWorkingDir: API_DIR,
    entryPoints: ENTRIES,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'warning',
    plugins: [packagesExternal],
  });
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => path.basename(file)));
  // Chunks of an earlier build (content-hashed names) would otherwise pile up.
  for (const file of readdirSync(outDir)) if (!written.has(file)) rmSync(path.join(outDir, file), { force: true });
  const stamp: BuildStamp = {
    builtAt,
    entry: 'imlu.mjs',
    inputs: Object.keys(result.metafile.inputs).sort(),
  };
  writeFileSync(path.join(outDir, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
  return stamp;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stamp = await buildCli(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_OUT_DIR);
  console.info(`imlu: compiled ${stamp.inputs.length} source files into ${path.relative(process.cwd(), process.argv[2] ?? DEFAULT_OUT_DIR) || '.'}`);
}
