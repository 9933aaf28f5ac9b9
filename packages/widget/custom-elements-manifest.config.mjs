// @custom-elements-manifest/analyzer: `cem analyze` writes custom-elements.json from the element classes'
// JSDoc (@tagname @summary @slot @csspart @cssproperty @cssstate @event) and Lit's static `properties`.

/**
 * The analyzer reads every entry of Lit's `static properties` as an attribute, including internal
 * `{ state: true }` ones (`view`, `errors`…), which have no attribute. Those are `private` fields here:
 * drop their attributes and their members so that the manifest lists only the public API. Also drop
 * the nameless events it infers from `dispatchEvent()` calls.
 */
function publicApiOnly() {
  return {
    name: 'imlu-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          const hidden = new Set(
            (declaration.members ?? []).filter((member) => member.privacy === 'private').map((member) => member.name),
          );
          if (declaration.attributes) {
            declaration.attributes = declaration.attributes.filter((attribute) => !hidden.has(attribute.fieldName));
          }
          if (declaration.members) declaration.members = declaration.members.filter((member) => !hidden.has(member.name));
          // `dispatchEvent(new ImluErrorEvent(…))` is read as an event without a name; the JSDoc @event
          // tags describe the same events, named and typed.
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.component.ts', 'src/imlu-*.ts'],
  exclude: ['src/**/*.test.ts', 'src/testing/**'],
  outdir: '.',
  litelement: true,
  // package.json lists the manifest itself; the analyzer must not rewrite it (e.g. for a test's --outdir).
  packagejson: false,
  plugins: [publicApiOnly()],
};
