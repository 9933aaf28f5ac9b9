/**
 * A Vite plugin that splits the compiled Kiswahili templates (`src/i18n/generated/sw.ts`, one map of
 * every message) between the modules that import them, each getting only the ids of its own messages
 * file: `src/i18n/index.ts` (embed.js) those of `src/i18n/messages.ts`, `src/i18n/signing.ts` (the lazy
 * signing chunk) those of `src/i18n/signing-messages.ts`, and `<imlu-accountability>`'s two messages
 * files (embed.js, and its lazy history chunk) their own. Without it the whole map would land in embed.js. Any other module of src/ that imports the map
 * fails the build, so a new importer cannot ship every translation silently.
 * Tests and the npm entry import the generated file whole, which is equivalent.
 *
 * The chunks' side also gets its own copy of @lit/localize's two-line `str` tag: a shared import would
 * make the bundler split `str` into a third file that embed.js must fetch before its first paint.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Plugin } from 'vite';

/** The ids a messages file declares (`{ id: 'loading' }`). */
export function messageIds(source: string): Set<string> {
  return new Set([...source.matchAll(/\bid:\s*'([\w-]+)'/g)].map((match) => match[1]!));
}

/**
 * `generated` (the compiled templates module) with only the entries of `templates` whose id is in `keep`,
 * each renamed to its short id when `rename` has one (see build/compact-message-ids.ts).
 */
export function keepTemplates(generated: string, keep: Set<string>, rename?: ReadonlyMap<string, string>): string {
  const file = ts.createSourceFile('sw.ts', generated, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let output: string | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(file) === 'templates' && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
      const kept = node.initializer.properties.filter(
        (property): property is ts.PropertyAssignment =>
          ts.isPropertyAssignment(property) && (ts.isStringLiteral(property.name) || ts.isIdentifier(property.name)) && keep.has(property.name.text),
      );
      const entry = (property: ts.PropertyAssignment) => {
        const id = (property.name as ts.StringLiteral | ts.Identifier).text;
        return `'${rename?.get(id) ?? id}': ${property.initializer.getText(file)}`;
      };
      const object = `{\n${kept.map(entry).join(',\n')}\n}`;
      output = generated.slice(0, node.initializer.getStart(file)) + object + generated.slice(node.initializer.end);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (output === undefined) throw new Error('split-translations: no `templates` object in the generated module');
  return output;
}

/**
 * Which messages file each importer of the generated templates gets the ids of, as paths relative to
 * src/. An importer that is its own messages file (the accountability element's) maps to itself.
 */
export const TEMPLATE_IMPORTERS: Readonly<Record<string, string>> = {
  'i18n/index.ts': 'i18n/messages.ts',
  'i18n/signing.ts': 'i18n/signing-messages.ts',
  'accountability/accountability.messages.ts': 'accountability/accountability.messages.ts',
  'accountability/history.messages.ts': 'accountability/history.messages.ts',
  'petition/pledge.messages.ts': 'petition/pledge.messages.ts',
  'counter/counter.messages.ts': 'counter/counter.messages.ts',
};

/** The messages files of lazy chunks, which get their own copy of `str` (see above). */
const CHUNK_MESSAGES = ['i18n/signing-messages.ts', 'accountability/history.messages.ts', 'petition/pledge.messages.ts'];

/** `i18nDir`: src/i18n; `rename`: the short ids the messages files get in the bundle (build/compact-message-ids.ts). */
export function splitTranslationsPlugin(i18nDir: string, rename?: ReadonlyMap<string, string>): Plugin {
  const srcDir = path.dirname(i18nDir);
  const generated = path.join(i18nDir, 'generated', 'sw.ts');
  const relative = (file: string) => path.relative(srcDir, file).split(path.sep).join('/');
  const PREFIX = '\0imlu-sw:';
  const STR = '\0imlu-str';
  // Each chunk its own copy: one module shared by three chunks would go to the common chunk, which the
  // lazy chunks then import (tying them to embed.js's files, and adding to the common chunk).
  const chunkImporters = new Map(CHUNK_MESSAGES.flatMap((file) => [[path.join(srcDir, file), file], [PREFIX + file, file]]));
  return {
    name: 'imlu:split-translations',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === '@lit/localize' && importer && chunkImporters.has(importer)) return `${STR}:${chunkImporters.get(importer)}`;
      if (!importer || !source.endsWith('generated/sw.ts') || importer.startsWith('\0')) return undefined;
      if (path.resolve(path.dirname(importer), source) !== generated) return undefined;
      const part = TEMPLATE_IMPORTERS[relative(importer)];
      if (!part) this.error(`split-translations: ${importer} imports the Kiswahili templates; add it to the plugin`);
      return PREFIX + part;
    },
    load(id) {
      // The same object as @lit/localize's `str` (internal/str-tag.js), which msgFor() reads.
      if (id.startsWith(`${STR}:`)) return 'export const str = (strings, ...values) => ({ strTag: true, strings, values });';
      if (!id.startsWith(PREFIX)) return undefined;
      const messagesFile = path.join(srcDir, id.slice(PREFIX.length));
      this.addWatchFile(messagesFile);
      this.addWatchFile(generated);
      return keepTemplates(readFileSync(generated, 'utf8'), messageIds(readFileSync(messagesFile, 'utf8')), rename);
    },
  };
}
