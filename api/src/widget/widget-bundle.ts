/**
 * The widget bundle (`packages/widget/dist/embed.js`) as the API serves it at `GET /embed.js`, so that a
 * partner needs one host only: `<script type="module" src="https://API-HOST/embed.js">`. The demo's
 * partner site serves the same file.
 *
 * The file is re-read only when its modification time changes, and carries a strong ETag so that a
 * returning visitor on a metered link revalidates with a 304 instead of downloading it again.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../config/env.ts';
import { strongEtag } from '../http/etag.ts';

export const WIDGET_BUNDLE = path.join(REPO_ROOT, 'packages', 'widget', 'dist', 'embed.js');

export interface BundleFile {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

export class WidgetBundle {
  #cached: { mtimeMs: number; file: BundleFile } | undefined;

  constructor(readonly file: string = WIDGET_BUNDLE) {}

  /** The current bundle, or undefined when it has not been built. */
  async read(): Promise<BundleFile | undefined> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(this.file)).mtimeMs;
    } catch {
      return undefined;
    }
    if (this.#cached?.mtimeMs !== mtimeMs) {
      const body = new Uint8Array(await readFile(this.file));
      this.#cached = { mtimeMs, file: { body, etag: strongEtag(body) } };
    }
    return this.#cached.file;
  }
}
