/**
 * A Vite plugin that squeezes the whitespace out of Lit's `html` and `css` tagged templates at build
 * time. Minifiers leave template literals alone (their text is data), and our templates are indented
 * for reading: this saves a few hundred bytes of the 15 KB budget without a dependency.
 *
 * It edits only the literal parts of templates tagged exactly `html` or `css`, located with the
 * TypeScript parser (no regex guessing about where a template starts or ends):
 * - html: whitespace that contains a line break becomes one space, or nothing between two tags and
 *   between an expression and a tag where a browser never renders it (`<p>\n  ${text}\n</p>`, see
 *   `BLOCK`);
 * - css: comments go, whitespace collapses, and spaces next to `{ } ; , :` go (never before `:`,
 *   which would turn a descendant `a :hover` into `a:hover`), and before `!important`; `0.5rem` becomes `.5rem` and
 *   `[part='form']` becomes `[part=form]`.
 */
import ts from 'typescript';
import type { Plugin } from 'vite';

/**
 * Elements laid out as blocks by default: whitespace right inside or outside their tags is never rendered
 * (with the default `white-space`), whatever is next to it. Beside an inline element (`<strong>`, `<a>`,
 * `<label>`…) a space can matter.
 */
const BLOCK =
  'address|article|aside|blockquote|dd|details|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|legend|li|main|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul';
/** Elements whose content has a box of its own, so that whitespace just inside their tags is not rendered either. */
const CONTAINED = `${BLOCK}|button|optgroup|option|select`;
/** A tag, then a line break, at the end of a part: the start of CONTAINED content, or after a block. */
const TAG_THEN_SPACE = new RegExp(`(<(?:${CONTAINED})(?:\\s[^<>]*)?>|<\\/(?:${BLOCK})>)\\s*\\n\\s*$`);
/** A line break, then a tag, at the start of a part: the end of CONTAINED content, or before a block. */
const SPACE_THEN_TAG = new RegExp(`^\\s*\\n\\s*(?=<\\/(?:${CONTAINED})>|<(?:${BLOCK})[\\s>])`);

/**
 * One literal part of an `html` template (between the backticks and any `${…}`). Whitespace with a line
 * break becomes one space or, between two tags, nothing; at either end of the part, next to an expression
 * or to whatever surrounds the template, it also goes where a browser never renders it (see above).
 */
export function minifyHtml(text: string): string {
  return text
    .replace(TAG_THEN_SPACE, '$1')
    .replace(SPACE_THEN_TAG, '')
    .replace(/>\s*\n\s*</g, '><')
    .replace(/\s*\n\s*/g, ' ');
}

export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .replace(/ !important/g, '!important')
    .replace(/([\s:,(])0\.(\d)/g, '$1.$2')
    .replace(/\[([\w-]+)='([\w-]+)'\]/g, '[$1=$2]')
    .trim();
}

export function minifyTemplates(source: string, fileName: string): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && ['html', 'css'].includes(node.tag.text)) {
      const minify = node.tag.text === 'css' ? minifyCss : minifyHtml;
      const template = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(template)
        ? [template]
        : [template.head, ...template.templateSpans.map((span) => span.literal)];
      for (const part of parts) {
        // Literal text sits between "`" or "}" and "`" or "${".
        const start = part.getStart(file) + 1;
        const end = part.end - (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1);
        edits.push({ start, end, text: minify(source.slice(start, end)) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let output = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    output = output.slice(0, edit.start) + edit.text + output.slice(edit.end);
  }
  return output;
}

export function minifyTemplatesPlugin(include: RegExp): Plugin {
  return {
    name: 'imlu:minify-templates',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!include.test(id)) return undefined;
      return { code: minifyTemplates(code, id), map: null };
    },
  };
}
