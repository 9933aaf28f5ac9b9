/**
 * The embed budget: dist/embed.js, Lit included, must stay within 15 KB (15,360 bytes) gzip — a signer on
 * a slow, metered link pays for every byte before the form appears. Both bundles are built in memory
 * with the package's own vite.config.ts; the Lit floor (a minimal LitElement built the same way) shows
 * how much of the budget is ours.
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BUDGET_BYTES = 15_360;
const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
const floorEntry = fileURLToPath(new URL('./fixtures/lit-floor.ts', import.meta.url));

async function bundle(entry?: string): Promise<Rolldown.OutputChunk[]> {
  const result = await build({
    configFile,
    logLevel: 'silent',
    build: {
      write: false,
      emptyOutDir: false,
      ...(entry && { lib: { entry, formats: ['es'], fileName: () => 'lit-floor.js' } }),
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs.flatMap((output) => output.output.filter((item) => item.type === 'chunk'));
}

// Vitest runs with NODE_ENV=test, which makes Vite resolve Lit's development build (bigger, chatty).
// Measure what `vite build` ships.
const nodeEnv = process.env.NODE_ENV;
beforeAll(() => {
  process.env.NODE_ENV = 'production';
});
afterAll(() => {
  process.env.NODE_ENV = nodeEnv;
});

const gzipBytes = (code: string) => gzipSync(code, { level: 9 }).length;

describe('embed.js size', () => {
  it(`stays within ${BUDGET_BYTES} bytes gzip with Lit included`, async () => {
    const [embedChunks, floorChunks] = [await bundle(), await bundle(floorEntry)];
    expect(embedChunks.map((chunk) => chunk.fileName)).toEqual(['embed.js']);
    const embed = embedChunks[0]!.code;
    const floor = floorChunks[0]!.code;
    const embedGzip = gzipBytes(embed);
    const floorGzip = gzipBytes(floor);
    console.info(
      `embed.js: ${embedGzip} B gzip (${embed.length} B raw), budget ${BUDGET_BYTES} B, ` +
        `${BUDGET_BYTES - embedGzip} B left | Lit floor: ${floorGzip} B gzip (${floor.length} B raw) | ` +
        `widget on top of Lit: ${embedGzip - floorGzip} B`,
    );
    expect(embedGzip).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('is minified, self-contained and free of zod', async () => {
    const [chunk] = await bundle();
    const code = chunk!.code;
    expect(chunk!.imports).toEqual([]);
    expect(chunk!.dynamicImports).toEqual([]);
    expect(code).not.toMatch(/\n {4}/); // no indented, unminified code
    expect(code).not.toMatch(/\bzod\b|ZodError/);
    expect(code).toContain('imlu-petition');
    expect(code).toContain('imlu-counter');
  });
});
