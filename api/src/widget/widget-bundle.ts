/**
 * The widget bundle (`packages/widget/dist/embed.js`) as the API serves it at `GET /embed.js`, so that a
 * partner needs one host only: `<script type="module" src="https://API-HOST/embed.js">`. The demo's
 * partner site serves the same file. Beside it, `dist/chunks/*.js` are the parts embed.js imports once
 * the signer touches the form (`import("./chunks/signing-<hash>.js")`), served at `GET /chunks/<name>`.
 *
 * Files are re-read only when their modification time changes, and carry a strong ETag so that a
 * returning visitor on a metered link revalidates with a 304 instead of downloading them again.
 *
 * The widget build writes each file's brotli and gzip forms beside it (`embed.js.br`, `embed.js.gz`:
 * packages/widget/build/precompress.ts, at the highest settings), and those are what goes out: nothing is
 * compressed per request. A precompressed file is used only if it decompresses to exactly the file beside
 * it (a stale one from an older build is ignored); when one is missing or stale, the file is compressed
 * here once, on reading, and kept with it.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { REPO_ROOT } from '../config/env.ts';
import { compress, type ContentEncoding } from '../http/compression.ts';
import { strongEtag } from '../http/etag.ts';

export const WIDGET_BUNDLE = path.join(REPO_ROOT, 'packages', 'widget', 'dist', 'embed.js');

export interface BundleFile {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  /** The same bytes brotli- and gzip-compressed. */
  encoded: Readonly<Record<ContentEncoding, Uint8Array<ArrayBuffer>>>;
}

const DECOMPRESS: Record<ContentEncoding, (data: Uint8Array) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync };
const EXTENSION: Record<ContentEncoding, string> = { br: '.br', gzip: '.gz' };

/** `file`'s precompressed form for `encoding` if it is exactly `body` compressed, else `body` compressed now. */
async function encodedForm(file: string, body: Uint8Array<ArrayBuffer>, encoding: ContentEncoding): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const stored = new Uint8Array(await readFile(file + EXTENSION[encoding]));
    if (Buffer.from(body).equals(DECOMPRESS[encoding](stored))) return stored;
  } catch {
    // None built, or not a valid stream: compress it here.
  }
  return compress(body, encoding, true);
}

/**
 * A chunk's file name as the widget build writes it (`[name]-[hash].js`): letters, digits, `-` and `_`,
 * then `.js`. Nothing else is ever looked up, so no path (`..`, `/`, `\`, `%2F` once decoded) can
 * reach the file system.
 */
export const CHUNK_NAME = /^[\w-]{1,100}\.js$/;

export class WidgetBundle {
  readonly #cache = new Map<string, { mtimeMs: number; file: BundleFile }>();

  constructor(readonly file: string = WIDGET_BUNDLE) {}

  /** The current bundle, or undefined when it has not been built. */
  read(): Promise<BundleFile | undefined> {
    return this.#read(this.file);
  }

  /** A lazily loaded chunk by file name, or undefined when the name is not a chunk name or no such file was built. */
  readChunk(name: string): Promise<BundleFile | undefined> {
    if (!CHUNK_NAME.test(name)) return Promise.resolve(undefined);
    return this.#read(path.join(path.dirname(this.file), 'chunks', name));
  }

  async #read(file: string): Promise<BundleFile | undefined> {
    let mtimeMs: number;
    try {
      const stats = await stat(file);
      if (!stats.isFile()) return undefined;
      mtimeMs = stats.mtimeMs;
    } catch {
      return undefined;
    }
    let cached = this.#cache.get(file);
    if (cached?.mtimeMs !== mtimeMs) {
      const body = new Uint8Array(await readFile(file));
      const [br, gzip] = await Promise.all([encodedForm(file, body, 'br'), encodedForm(file, body, 'gzip')]);
      cached = { mtimeMs, file: { body, etag: strongEtag(body), encoded: { br, gzip } } };
      this.#cache.set(file, cached);
    }
    return cached.file;
  }
}
