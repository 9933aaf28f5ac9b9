/**
 * custom-elements.json: generated from the element classes by @custom-elements-manifest/analyzer (run by
 * `pnpm build`), committed, and listed in package.json so that editors and docs tools find it. These
 * tests regenerate it and fail when the committed copy is stale or misses part of the public API.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// The analyzer resolves --outdir against the working directory, so the copy goes under the package.
mkdirSync(join(root, '.tmp'), { recursive: true });
const outdir = mkdtempSync(join(root, '.tmp', 'cem-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface Named {
  name: string;
}
interface Declaration extends Named {
  tagName?: string;
  attributes?: Named[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
  cssStates?: Named[];
  slots?: Named[];
}
interface Manifest {
  modules: { declarations?: Declaration[] }[];
}

const names = (list: Named[] | undefined) => (list ?? []).map((item) => item.name).sort();

describe('custom-elements.json', () => {
  const committed = readFileSync(join(root, 'custom-elements.json'), 'utf8');

  it('is what the analyzer generates from the current code (run `pnpm --filter @imlu/widget manifest`)', () => {
    execFileSync('pnpm', ['exec', 'cem', 'analyze', '--outdir', relative(root, outdir)], { cwd: root, stdio: 'pipe' });
    expect(readFileSync(join(outdir, 'custom-elements.json'), 'utf8')).toBe(committed);
  });

  it('is listed in package.json and describes every element', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { customElements?: string };
    expect(pkg.customElements).toBe('custom-elements.json');
    const manifest = JSON.parse(committed) as Manifest;
    const elements = Object.fromEntries(
      manifest.modules.flatMap((module) => module.declarations ?? []).flatMap((d) => (d.tagName ? [[d.tagName, d]] : [])),
    ) as Record<string, Declaration>;
    expect(Object.keys(elements).sort()).toEqual(['imlu-accountability', 'imlu-counter', 'imlu-petition']);

    const petition = elements['imlu-petition']!;
    expect(names(petition.attributes)).toEqual(['api', 'campaign', 'lang', 'source', 'theme']);
    expect(names(petition.events)).toEqual(['imlu-error', 'imlu-signed']);
    expect(names(petition.cssParts)).toEqual(expect.arrayContaining(['form', 'submit', 'thank-you']));
    expect(names(petition.cssStates)).toEqual(['signed']);
    expect(names(petition.slots)).toEqual(expect.arrayContaining(['thank-you']));
    expect(names(petition.cssProperties)).toEqual(
      expect.arrayContaining(['--imlu-color-primary', '--imlu-font-family', '--imlu-radius', '--imlu-button-background']),
    );
    expect(names(elements['imlu-counter']!.attributes)).toEqual(['action', 'api', 'campaign', 'show']);

    const accountability = elements['imlu-accountability']!;
    expect(names(accountability.attributes)).toEqual(['api', 'campaign', 'lang', 'status', 'theme']);
    expect(names(accountability.events)).toEqual(['imlu-error']);
    expect(names(accountability.cssParts)).toEqual(['badge', 'filter', 'list', 'milestones', 'pledge', 'pledges', 'signing-key', 'summary', 'target']);
    expect(names(accountability.cssProperties)).toEqual(
      expect.arrayContaining(['--imlu-color-primary', '--imlu-color-success', '--imlu-color-warning', '--imlu-accountability-surface']),
    );
  });
});
