/**
 * A Vite plugin that fails the build when an output file's gzip size is over budget, so that an oversized
 * embed.js or chunk can never be built, served or published, whatever the tests say. Sizes are gzip
 * level 9 of the minified output, as a CDN or the API would serve it. Every size is printed.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface SizeBudget {
  /** Output file name, e.g. `embed.js`, or a pattern every matching chunk must meet, e.g. `/^chunks\//`. */
  fileName: string | RegExp;
  maxGzipBytes: number;
}

export const gzipSize = (code: string | Uint8Array): number => gzipSync(code, { level: 9 }).length;

export function sizeBudgetPlugin(...budgets: SizeBudget[]): Plugin {
  return {
    name: 'imlu:size-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const { fileName, maxGzipBytes } of budgets) {
        const names = typeof fileName === 'string' ? [fileName] : Object.keys(bundle).filter((name) => fileName.test(name));
        if (typeof fileName === 'string' && !bundle[fileName]) this.error(`size budget: no ${fileName} in the build output`);
        for (const name of names) {
          const output = bundle[name]!;
          const bytes = gzipSize(output.type === 'chunk' ? output.code : output.source);
          if (bytes > maxGzipBytes) {
            this.error(
              `${name} is ${bytes} B gzip, over its budget of ${maxGzipBytes} B by ${bytes - maxGzipBytes} B. ` +
                'Make it smaller; do not raise the budget without asking the team.',
            );
          }
          this.info(`${name}: ${bytes} B gzip, budget ${maxGzipBytes} B (${maxGzipBytes - bytes} B left)`);
        }
      }
    },
  };
}
