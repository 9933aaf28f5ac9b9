/**
 * A Vite plugin for the loader (src/embed.ts): each `import("./chunks/imlu-petition-<hash>.js")` in
 * embed.js becomes an import of that chunk and, at the same moment, of every chunk it imports statically
 * (Lit and the translations, shared by the elements). Without it the browser would learn of the shared
 * chunk only once the element's chunk had arrived and been parsed: one more round trip, 300–800 ms on the
 * links our signers have. Importing a chunk early is harmless: the browser's module map runs each once.
 * The promise still resolves to the element chunk's own module.
 */
import type { Plugin, Rolldown } from 'vite';

/** The chunks `fileName` imports statically, directly or through another chunk, in a stable order. */
export function staticClosure(bundle: Rolldown.OutputBundle, fileName: string): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const chunk = bundle[name];
    if (!chunk || chunk.type !== 'chunk') return;
    for (const imported of chunk.imports) {
      if (seen.has(imported)) continue;
      seen.add(imported);
      visit(imported);
    }
  };
  visit(fileName);
  return [...seen];
}

/** `import("./chunks/x.js")` (any quotes) in minified output. */
const DYNAMIC_IMPORT = /import\((["'`])\.\/(chunks\/[\w.-]+\.js)\1\)/g;

export function elementPreloadPlugin(entry = 'embed.js'): Plugin {
  return {
    name: 'imlu:element-preload',
    apply: 'build',
    generateBundle(_options, bundle) {
      const output = bundle[entry];
      if (!output || output.type !== 'chunk') this.error(`element-preload: no ${entry} in the build output`);
      output.code = output.code.replace(DYNAMIC_IMPORT, (call, _quote: string, target: string) => {
        const deps = staticClosure(bundle, target);
        if (!deps.length) return call;
        const urls = [target, ...deps].map((name) => JSON.stringify(`./${name}`)).join(',');
        return `Promise.all([${urls}].map(u=>import(u))).then(m=>m[0])`;
      });
    },
  };
}
