/**
 * A Vite plugin that writes each output file's brotli (`.br`) and gzip (`.gz`) forms beside it, at the
 * highest settings, once per build. The API (api/src/widget/widget-bundle.ts) serves these as they are,
 * so no request ever waits for compression, and checks that each decompresses to the file beside it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export function brotli(data: string | Uint8Array): Buffer {
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: typeof data === 'string' ? Buffer.byteLength(data) : data.length,
    },
  });
}

export const gzip = (data: string | Uint8Array): Buffer => gzipSync(data, { level: 9 });

/** Compresses the output files whose names match `include` (default: every .js file). */
export function precompressPlugin(include: RegExp = /\.js$/): Plugin {
  return {
    name: 'imlu:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? (options.file ? path.dirname(options.file) : undefined);
      if (!dir) return;
      await Promise.all(
        Object.values(bundle)
          .filter((output) => include.test(output.fileName))
          .flatMap((output) => {
            const data = output.type === 'chunk' ? output.code : output.source;
            const file = path.join(dir, output.fileName);
            return [writeFile(`${file}.br`, brotli(data)), writeFile(`${file}.gz`, gzip(data))];
          }),
      );
    },
  };
}
