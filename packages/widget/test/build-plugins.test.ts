/**
 * The build's own source transforms, checked on their inputs: they run only inside `vite build`, where a
 * mistake would ship silently (the e2e tests then catch behaviour, these catch the transform itself).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compactMessageIds } from '../build/compact-message-ids.ts';
import { makeLazyImportsRetryable, RETRY_HELPER } from '../build/lazy-retry.ts';
import { minifyHtml, minifyTemplates } from '../build/minify-templates.ts';
import { catalog, msgFor } from '../src/i18n/index.ts';
import { messages } from '../src/i18n/messages.ts';

const source = readFileSync(fileURLToPath(new URL('../src/i18n/messages.ts', import.meta.url)), 'utf8');

describe('compact-message-ids', () => {
  it("turns msg()'s { id } options into the bare id, and leaves nothing else changed", () => {
    expect(compactMessageIds("msg('Your name', { id: 'nameLabel' })")).toBe("msg('Your name', 'nameLabel')");
    expect(compactMessageIds("msg('A long one', {\n    id: 'consentTerms',\n  })")).toBe("msg('A long one', 'consentTerms')");
    expect(compactMessageIds("const x = { id: 'a', other: 1 };")).toBe("const x = { id: 'a', other: 1 };");
  });

  it('compacts every message in messages.ts, and msgFor() reads either form', () => {
    const compacted = compactMessageIds(source);
    expect(compacted).not.toMatch(/\{\s*id:/);
    expect(compacted.match(/msg\(/g)!.length).toBe(source.match(/msg\(/g)!.length);
    // The bare-id form, as the bundle calls it, translates like the object form.
    const sw = { nameLabel: 'Jina lako' };
    expect(msgFor(sw)('Your name', 'nameLabel' as never)).toBe('Jina lako');
    expect(messages(msgFor(sw)).nameLabel).toBe('Jina lako');
    expect(catalog('sw').nameLabel).toBe('Jina lako');
  });

  it('compacts every message of <imlu-accountability> too (vite.config.ts applies it to both files)', () => {
    const accountability = readFileSync(
      fileURLToPath(new URL('../src/accountability/accountability.messages.ts', import.meta.url)),
      'utf8',
    );
    const compacted = compactMessageIds(accountability);
    expect(compacted).not.toMatch(/\{\s*id:/);
    expect(compacted.match(/msg\(/g)!.length).toBe(accountability.match(/msg\(/g)!.length);
  });
});

describe('split-translations', () => {
  it('routes every module of src/ that imports the Kiswahili templates, so none ships the whole map', async () => {
    const { readdirSync } = await import('node:fs');
    const { TEMPLATE_IMPORTERS, messageIds } = await import('../build/split-translations.ts');
    const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
    const importers = (readdirSync(srcDir, { recursive: true }) as string[])
      .map((file) => file.split('\\').join('/'))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('testing/'))
      .filter((file) => /from '[./]*(i18n\/)?generated\/sw\.ts'/.test(readFileSync(srcDir + file, 'utf8')));
    expect(importers.sort()).toEqual(Object.keys(TEMPLATE_IMPORTERS).sort());
    for (const messagesFile of Object.values(TEMPLATE_IMPORTERS)) {
      expect(messageIds(readFileSync(srcDir + messagesFile, 'utf8')).size, messagesFile).toBeGreaterThan(0);
    }
  });
});

describe('short message ids', () => {
  it('gives every id of every messages file its own short id, and the templates the same one', async () => {
    const { shortMessageIds } = await import('../build/compact-message-ids.ts');
    const { TEMPLATE_IMPORTERS, keepTemplates, messageIds } = await import('../build/split-translations.ts');
    const read = (file: string) => readFileSync(fileURLToPath(new URL(`../src/${file}`, import.meta.url)), 'utf8');
    const sources = Object.values(TEMPLATE_IMPORTERS).map(read);
    const rename = shortMessageIds(sources);
    const ids = new Set(sources.flatMap((text) => [...messageIds(text)]));
    expect([...rename.keys()].sort()).toEqual([...ids].sort());
    expect(new Set(rename.values()).size).toBe(ids.size);
    for (const short of rename.values()) expect(short).toMatch(/^_[0-9a-z]{1,2}$/);
    // The same files give the same map (vite.config.ts computes it once for both plugins).
    expect(shortMessageIds(sources)).toEqual(rename);
    // The messages every page loads come first: a lazy chunk's new message does not renumber them.
    const first = [...messageIds(sources[0]!)];
    expect(first.map((id) => parseInt(rename.get(id)!.slice(1), 36)).sort((a, b) => a - b)).toEqual(first.map((_, i) => i));
    expect(shortMessageIds([sources[0]!, `${sources.at(-1)!} msg('x', { id: 'aaaNewLazyMessage' })`]).get(first[0]!)).toBe(rename.get(first[0]!));

    const compacted = compactMessageIds("msg('Your name', { id: 'nameLabel' })", rename);
    expect(compacted).toBe(`msg('Your name', '${rename.get('nameLabel')}')`);
    const generated = read('i18n/generated/sw.ts');
    const kept = keepTemplates(generated, new Set(['nameLabel', 'retry']), rename);
    expect(kept).toContain(`'${rename.get('nameLabel')}': \`Jina lako\``);
    expect(kept).toContain(`'${rename.get('retry')}': \`Jaribu tena\``);
    expect(kept).not.toContain("'nameLabel'");
    // And msgFor() finds the translation by the short id, as the bundle calls it.
    expect(msgFor({ [rename.get('nameLabel')!]: 'Jina lako' })('Your name', rename.get('nameLabel') as never)).toBe('Jina lako');
  });
});

describe('minify-templates', () => {
  it('collapses line breaks in html to one space, or to nothing between two tags', () => {
    expect(minifyHtml('<div>\n  <p>Hello\n    world</p>\n</div>')).toBe('<div><p>Hello world</p></div>');
    expect(minifyHtml('<a href="#">One</a> <a href="#">two</a>')).toBe('<a href="#">One</a> <a href="#">two</a>');
  });

  it('drops a line break next to an expression only where a browser never renders it', () => {
    const html = (source: string) => minifyTemplates(source, 'x.ts');
    // Inside or beside a block, or just inside a button, option or select: gone.
    expect(html('html`<p>\n  ${a}\n</p>`')).toBe('html`<p>${a}</p>`');
    expect(html('html`<h3 id="x" tabindex="-1">\n  ${a}\n</h3>\n${b}\n<section>`')).toBe(
      'html`<h3 id="x" tabindex="-1">${a}</h3>${b}<section>`',
    );
    expect(html('html`\n  <h2>${a}</h2>\n  ${b}\n`')).toBe('html`<h2>${a}</h2>${b} `');
    expect(html('html`<button type="button">\n  ${a}\n</button>`')).toBe('html`<button type="button">${a}</button>`');
    // Beside inline content (text, a label, a link, a button from outside): one space, as before.
    expect(html('html`<label for="x">${a}</label>\n  ${b}`')).toBe('html`<label for="x">${a}</label> ${b}`');
    expect(html('html`<strong>${a}</strong>\n  ${b}\n  <a href="#">x</a>`')).toBe('html`<strong>${a}</strong> ${b} <a href="#">x</a>`');
    expect(html('html`${a}\n  <button>x</button>`')).toBe('html`${a} <button>x</button>`');
    expect(html('html`<progress max=${a}></progress>\n  ${b}`')).toBe('html`<progress max=${a}></progress> ${b}`');
    // Never inside a <textarea> (its text is its value) or a <pre>.
    expect(html('html`<textarea>\n  ${a}\n</textarea>`')).toBe('html`<textarea> ${a} </textarea>`');
    expect(html('html`<pre>\n  ${a}\n</pre>`')).toBe('html`<pre> ${a} </pre>`');
    // Text without a line break is data, whatever the tags: kept.
    expect(html('html`<p> ${a} </p>`')).toBe('html`<p> ${a} </p>`');
  });

  it('leaves other template literals alone', () => {
    const source = 'const s = `<p>\n  ${a}\n</p>`;';
    expect(minifyTemplates(source, 'x.ts')).toBe(source);
  });
});

describe('lazy-retry', () => {
  it('routes the imports of lazy chunks (those that import nothing) through the helper, once, and leaves the rest', () => {
    const code = 'import{a as b}from"./core-1.js";const l={signing:()=>import(`./signing-2.js`),pledge:()=>import("./pledge-3.js"),el:()=>import(`./imlu-x-4.js`)};';
    const leaves = new Set(['./signing-2.js', './pledge-3.js']);
    const out = makeLazyImportsRetryable(code, (specifier) => leaves.has(specifier));
    expect(out.startsWith(RETRY_HELPER)).toBe(true);
    expect(out.split(RETRY_HELPER)).toHaveLength(2);
    expect(out).toContain('signing:()=>__iI("./signing-2.js")');
    expect(out).toContain('pledge:()=>__iI("./pledge-3.js")');
    expect(out).toContain('el:()=>import(`./imlu-x-4.js`)');
    expect(makeLazyImportsRetryable('const x=1;', () => true)).toBe('const x=1;');
  });

  it('asks for the plain URL first, and after each failure for a URL the browser has not tried', async () => {
    const asked: string[] = [];
    let failures = 2;
    const fakeImport = (url: string) => {
      asked.push(url);
      return failures-- > 0 ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve({ url });
    };
    const load = new Function('fakeImport', `${RETRY_HELPER.replaceAll('import(', 'fakeImport(')} return __iI;`)(fakeImport) as (u: string) => Promise<unknown>;
    await expect(load('./signing-2.js')).rejects.toThrow(TypeError);
    await expect(load('./signing-2.js')).rejects.toThrow(TypeError);
    await expect(load('./signing-2.js')).resolves.toEqual({ url: './signing-2.js?retry=2' });
    expect(asked).toEqual(['./signing-2.js', './signing-2.js?retry=1', './signing-2.js?retry=2']);
  });
});
