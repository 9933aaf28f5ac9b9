/**
 * The embed budget: dist/embed.js, Lit and everything needed before the signer touches the form, must
 * stay within 15 KB (15,360 bytes) gzip — a signer on a slow, metered link pays for every byte before the
 * form appears — and each lazily loaded chunk (dist/chunks/*.js) within 8 KB. `vite build` itself fails
 * over budget (build/size-budget.ts); these tests prove that it does, and report every size. The bundles
 * are built in memory with the package's own vite.config.ts; the Lit floor (a minimal LitElement built
 * the same way) shows how much of the budget is ours.
 */
import { fileURLToPath } from 'node:url';
import { build, type Plugin, type Rolldown } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { gzipSize, sizeBudgetPlugin } from '../build/size-budget.ts';
import { EMBED_BUDGET_BYTES as BUDGET_BYTES, CHUNK_BUDGET_BYTES } from '../vite.config.ts';
const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
const floorEntry = fileURLToPath(new URL('./fixtures/lit-floor.ts', import.meta.url));

async function bundle(entry?: string, plugins: Plugin[] = []): Promise<Rolldown.OutputChunk[]> {
  const result = await build({
    configFile,
    logLevel: 'silent',
    plugins,
    build: {
      write: false,
      emptyOutDir: false,
      // In memory only; named embed.js so that the config's budget check (which it passes) finds it.
      ...(entry && { lib: { entry, formats: ['es'], fileName: () => 'embed.js' } }),
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs.flatMap((output) => output.output.filter((item) => item.type === 'chunk'));
}

// Vitest runs with NODE_ENV=test; the bundles here are built under it, as they are under whatever
// NODE_ENV `pnpm start` inherits (vite.config.ts pins the production build of Lit).
const nodeEnv = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = nodeEnv;
});

const gzipBytes = gzipSize;

describe('the build under any NODE_ENV', () => {
  it('ships the same bytes with NODE_ENV development, test, production or unset (`NODE_ENV=development pnpm start` builds)', async () => {
    const built: Record<string, string> = {};
    for (const value of ['development', 'test', 'production', undefined]) {
      if (value === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = value;
      // A development build of Lit would be over budget: the build itself would throw here.
      const chunks = await bundle();
      built[value ?? 'unset'] = chunks.map((chunk) => `${chunk.fileName}\n${chunk.code}`).sort().join('\n');
    }
    expect(built.development).toBe(built.production);
    expect(built.test).toBe(built.production);
    expect(built.unset).toBe(built.production);
    // Lit's development build announces itself; the production one carries no such text.
    expect(built.production).not.toMatch(/Lit is in dev mode/);
  });
});

describe('embed.js size', () => {
  it(`stays within ${BUDGET_BYTES} bytes gzip with Lit included, each lazy chunk within ${CHUNK_BUDGET_BYTES}`, async () => {
    const [chunks, floorChunks] = [await bundle(), await bundle(floorEntry)];
    const embed = chunks.find((chunk) => chunk.fileName === 'embed.js')!.code;
    const floor = floorChunks[0]!.code;
    const embedGzip = gzipBytes(embed);
    const floorGzip = gzipBytes(floor);
    const lazy = chunks.filter((chunk) => chunk.fileName !== 'embed.js');
    console.info(
      `embed.js: ${embedGzip} B gzip (${embed.length} B raw), budget ${BUDGET_BYTES} B, ` +
        `${BUDGET_BYTES - embedGzip} B left | Lit floor: ${floorGzip} B gzip (${floor.length} B raw) | ` +
        `widget on top of Lit: ${embedGzip - floorGzip} B | ` +
        lazy.map((chunk) => `${chunk.fileName}: ${gzipBytes(chunk.code)} B gzip (${chunk.code.length} B raw)`).join(', '),
    );
    expect(embedGzip).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(lazy.map((chunk) => chunk.fileName).sort()).toEqual([
      expect.stringMatching(/^chunks\/history-[\w-]+\.js$/),
      expect.stringMatching(/^chunks\/signing-[\w-]+\.js$/),
    ]);
    for (const chunk of lazy) expect(gzipBytes(chunk.code)).toBeLessThanOrEqual(CHUNK_BUDGET_BYTES);
  });

  it('fails the build when a lazy chunk is over its budget', async () => {
    const tooSmall = sizeBudgetPlugin({ fileName: /^chunks\//, maxGzipBytes: 100 });
    await expect(bundle(undefined, [tooSmall])).rejects.toThrow(/chunks\/(history|signing)-[\w-]+\.js is \d+ B gzip, over its budget of 100 B/);
  });

  it('keeps everything after the first interaction out of embed.js, and the chunk free of imports', async () => {
    const chunks = await bundle();
    const embed = chunks.find((chunk) => chunk.fileName === 'embed.js')!;
    const signing = chunks.find((chunk) => chunk.fileName.startsWith('chunks/signing-'))!;
    const history = chunks.find((chunk) => chunk.fileName.startsWith('chunks/history-'))!;
    // embed.js loads nothing before the first paint; each chunk only when asked, and it imports nothing back
    // (no third shared file, no tie to embed.js's URL: Lit and the rest are handed over at run time).
    expect(embed.imports).toEqual([]);
    expect([...embed.dynamicImports].sort()).toEqual([history.fileName, signing.fileName]);
    for (const chunk of [signing, history]) {
      expect(chunk.imports, chunk.fileName).toEqual([]);
      expect(chunk.dynamicImports, chunk.fileName).toEqual([]);
      expect(embed.code.includes(`import(\`./${chunk.fileName}\`)`), `embed.js imports ${chunk.fileName} by relative URL`).toBe(true);
    }
    // ALTCHA, the SMS code (with its summary, new code and "change my details"), thanks/share and the
    // sending errors, in both languages, are in the chunk only.
    for (const text of ['crypto.subtle', 'one-time-code', 'wa.me', 'Send now', 'Tuma sasa', 'Thibitisha sahihi yangu', '/confirmations/resend', 'Send a new code', 'Badilisha taarifa zangu']) {
      expect(embed.code.includes(text), `${text} in embed.js`).toBe(false);
      expect(signing.code.includes(text), `${text} in the chunk`).toBe(true);
    }
    // <imlu-accountability>'s dated history (evidence links, who recorded it), in both languages, likewise.
    for (const text of ['noopener noreferrer nofollow', 'Self-reported', 'Imeripotiwa na mhusika mwenyewe', 'Ushahidi']) {
      expect(embed.code.includes(text), `${text} in embed.js`).toBe(false);
      expect(history.code.includes(text), `${text} in the history chunk`).toBe(true);
    }
  });

  it('fails the build when embed.js is over its budget, naming the size and the overrun', async () => {
    // The same build with one more budget, a byte under what embed.js weighs now.
    const chunk = (await bundle()).find((output) => output.fileName === 'embed.js');
    const actual = gzipBytes(chunk!.code);
    const tooSmall = sizeBudgetPlugin({ fileName: 'embed.js', maxGzipBytes: actual - 1 });
    await expect(bundle(undefined, [tooSmall])).rejects.toThrow(
      `embed.js is ${actual} B gzip, over its budget of ${actual - 1} B by 1 B`,
    );
    // …and passes at exactly its size.
    await expect(bundle(undefined, [sizeBudgetPlugin({ fileName: 'embed.js', maxGzipBytes: actual })])).resolves.toHaveLength(3);
  });

  it('is minified, self-contained and free of zod', async () => {
    const chunk = (await bundle()).find((output) => output.fileName === 'embed.js');
    const code = chunk!.code;
    expect(chunk!.imports).toEqual([]);
    expect(code).not.toMatch(/\n {4}/); // no indented, unminified code
    expect(code).not.toMatch(/\bzod\b|ZodError/);
    expect(code).not.toContain('@__PURE__');
    expect(code).not.toMatch(/configureLocalization|lit-localize-status/); // only `str` from @lit/localize
    expect(code).toContain('imlu-petition');
    expect(code).toContain('imlu-counter');
    expect(code).toContain('imlu-accountability');
  });
});
