/**
 * Vite plugins that fail the build when the output is over its gzip budget, so that an oversized widget can
 * never be built, served or published, whatever the tests say: per file (the chunks loaded on the first
 * interaction), and per element (the loader and the chunks an element needs to come alive).
 * Sizes are gzip level 9 of the minified output, as the build precompresses it. Every size is printed.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin, Rolldown } from 'vite';
import { staticClosure } from './element-preload.ts';

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

export interface FirstInteractionBudget {
  /** The loader, e.g. `embed.js`. */
  entry: string;
  /** The element module whose page is weighed, e.g. `/src/imlu-petition.ts` (matched at the end of the chunk's entry module). */
  element: string;
  maxGzipBytes: number;
}

/** The script a page with one element fetches for that element to come alive, file by file (gzip). */
export function firstInteractionFiles(bundle: Rolldown.OutputBundle, entry: string, element: string): { fileName: string; gzipBytes: number }[] {
  const chunk = Object.values(bundle).find(
    (output): output is Rolldown.OutputChunk => output.type === 'chunk' && !!output.facadeModuleId?.replaceAll('\\', '/').endsWith(element),
  );
  if (!chunk) throw new Error(`no chunk for ${element} in the build output`);
  const files = [entry, chunk.fileName, ...staticClosure(bundle, chunk.fileName)];
  return files.map((fileName) => {
    const output = bundle[fileName]!;
    return { fileName, gzipBytes: gzipSize(output.type === 'chunk' ? output.code : output.source) };
  });
}

/**
 * Fails the build when the loader, the element's chunk and every chunk that one imports statically weigh
 * more than `maxGzipBytes` gzip together: what a page with that one element downloads for the element to
 * come alive (for a painted petition, on the first touch of its form; src/embed.ts). What the element
 * itself imports later (the petition's signing chunk) is not counted.
 * Must come after build/element-preload.ts, which changes the loader.
 */
export function firstInteractionBudgetPlugin({ entry, element, maxGzipBytes }: FirstInteractionBudget): Plugin {
  return {
    name: 'imlu:first-interaction-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      if (!bundle[entry]) this.error(`size budget: no ${entry} in the build output`);
      let files: { fileName: string; gzipBytes: number }[];
      try {
        files = firstInteractionFiles(bundle, entry, element);
      } catch (error) {
        this.error(`size budget: ${(error as Error).message}`);
      }
      const total = files.reduce((sum, file) => sum + file.gzipBytes, 0);
      const list = files.map((file) => `${file.fileName} ${file.gzipBytes} B`).join(' + ');
      if (total > maxGzipBytes) {
        this.error(
          `the code of ${element} is ${total} B gzip with the loader and the chunks it imports (${list}), ` +
            `over its budget of ${maxGzipBytes} B by ${total - maxGzipBytes} B. Make it smaller; do not raise the budget without asking the team.`,
        );
      }
      this.info(`the code of ${element}: ${total} B gzip (${list}), budget ${maxGzipBytes} B (${maxGzipBytes - total} B left)`);
    },
  };
}
