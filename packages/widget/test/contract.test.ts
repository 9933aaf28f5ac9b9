/**
 * Node-side checks that keep the widget honest against its neighbours: the catalogs are complete, the
 * form limits equal the API schema's, the bundle imports nothing from contracts that would pull zod,
 * and package metadata says what the code does.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMENT_MAX as CONTRACT_COMMENT_MAX, NAME_MAX as CONTRACT_NAME_MAX, SignRequestSchema } from '@imlu/contracts';
import { FIELD_ERROR_CODES } from '@imlu/contracts/problems';
import { describe, expect, it } from 'vitest';
import { templates as sw } from '../src/i18n/generated/sw.ts';
import { catalog, formatNumber, localeFromTag, msg, msgFor } from '../src/i18n/index.ts';
import { fieldErrorMessage as fieldErrorIn, signingCatalog } from '../src/i18n/signing.ts';

const fieldErrorMessage = (locale: 'en' | 'sw', code: string) => fieldErrorIn(locale, code, msgFor);
import { messages } from '../src/i18n/messages.ts';
import { signingMessages } from '../src/i18n/signing-messages.ts';
import { pledgeMessages } from '../src/petition/pledge.messages.ts';
import { counterMessages } from '../src/counter/counter.messages.ts';
import { accountabilityCatalog, accountabilityMessages } from '../src/accountability/accountability.messages.ts';
import { historyCatalog, historyMessages } from '../src/accountability/history.messages.ts';
import { COMMENT_MAX, NAME_MAX, SOURCE_MAX } from '../src/petition/limits.ts';
import { VERSION } from '../src/version.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; sideEffects: string[] };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every message id in every messages file (the petition's, signing, pledge, counter, accountability, history), found by running the catalogs with a `msg` that records ids. */
function messageIds(): string[] {
  const ids: string[] = [];
  const record = ((_: unknown, options?: { id?: string }) => (ids.push(options!.id!), '')) as never;
  const all = [...Object.values(messages(record)), ...Object.values(signingMessages(record)), ...Object.values(accountabilityMessages(record)), ...Object.values(historyMessages(record)), ...Object.values(pledgeMessages(record)), ...Object.values(counterMessages(record))];
  for (const value of all) {
    if (typeof value === 'function') {
      (value as (...args: unknown[]) => string)(1, 1); // singular branch
      (value as (...args: unknown[]) => string)(2, 2); // plural branch
    }
  }
  return [...new Set(ids)].sort();
}

const xliff = readFileSync(join(root, 'xliff/sw.xlf'), 'utf8');

describe('message catalogs', () => {
  it('has every message translated into Kiswahili, in the XLIFF and in the compiled templates', () => {
    const ids = messageIds();
    expect(ids.length).toBeGreaterThan(50);
    expect(Object.keys(sw).sort()).toEqual(ids);
    for (const id of ids) {
      const unit = new RegExp(`<trans-unit id="${id}">\\s*<source>[\\s\\S]*?</source>\\s*<target>([\\s\\S]+?)</target>`);
      expect(xliff, id).toMatch(unit);
    }
  });

  it('keeps the compiled Kiswahili templates in step with the XLIFF (run `pnpm localize:build`)', () => {
    for (const [id, translation] of Object.entries(sw)) {
      const target = xliff.match(new RegExp(`<trans-unit id="${id}">[\\s\\S]*?<target>([\\s\\S]+?)</target>`))![1]!;
      const text = target
        .replace(/<x id="(\d+)"[^>]*\/>/g, '{$1}')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
      const compiled =
        typeof translation === 'string'
          ? translation
          : translation!.strings.reduce((all, part, i) => `${all}{${String(translation!.values[i - 1])}}${part}`);
      expect(compiled, id).toBe(text);
    }
  });

  it('falls back to English string by string, and reorders values as the translator did', () => {
    const partial = messages(msgFor({ formHeading: 'Ongeza jina lako' }));
    expect(partial.formHeading).toBe('Ongeza jina lako');
    expect(partial.nameLabel).toBe('Your name');
    expect(partial.progress('1', '2')).toBe('1 of 2 signatures');
    const strings = Object.assign(['lengo ', ', sasa ', ''], { raw: [] }) as TemplateStringsArray;
    const reordered = messages(msgFor({ progress: { strTag: true, strings, values: [1, 0] } }));
    expect(reordered.progress('5', '10')).toBe('lengo 10, sasa 5');
  });

  it('speaks Kiswahili with no English left in any message, in embed.js and in the chunks', () => {
    for (const [en, swahili] of [
      [catalog('en'), catalog('sw')],
      [signingCatalog('en', msgFor), signingCatalog('sw', msgFor)],
      [accountabilityCatalog('en'), accountabilityCatalog('sw')],
      [historyCatalog('en', msgFor), historyCatalog('sw', msgFor)],
    ] as [Record<string, unknown>, Record<string, unknown>][]) {
      for (const key of Object.keys(en)) {
        const [english, kiswahili] = [en[key], swahili[key]];
        const render = (value: unknown) =>
          typeof value === 'function' ? (value as (...args: unknown[]) => string)('7', 7, '8', '9') : (value as string);
        expect(render(kiswahili), key).not.toBe(render(english));
      }
    }
  });

  it('groups numbers exactly as Intl.NumberFormat does for en-KE and sw-KE, without calling it', () => {
    for (const value of [0, 7, 999, 1000, 1234, 10_000, 999_999, 1_234_567, 12_345_678_901, -1234]) {
      for (const locale of ['en', 'sw'] as const) {
        expect(formatNumber(locale, value), `${locale} ${value}`).toBe(new Intl.NumberFormat(`${locale}-KE`).format(value));
      }
    }
  });

  it('gives every API field error code a message in both languages', () => {
    for (const code of FIELD_ERROR_CODES) {
      expect(fieldErrorMessage('en', code), code).toMatch(/\w/);
      expect(fieldErrorMessage('sw', code), code).toMatch(/\w/);
    }
    expect(fieldErrorMessage('sw', 'invalid_phone')).toBe('Weka nambari halali ya simu, kama 0712 345 678.');
    expect(fieldErrorMessage('en', 'unknown_field')).toBe('This value is not valid.');
    expect(fieldErrorMessage('sw', 'a_code_from_a_newer_api')).toBe('Thamani hii si halali.');
  });

  it('formats counts for Kenya in both languages', () => {
    expect(msg('en', 'signatures')(formatNumber('en', 1234), 1234)).toBe('1,234 signatures');
    expect(msg('sw', 'signatures')(formatNumber('sw', 1234), 1234)).toBe('Sahihi 1,234');
    expect(msg('sw', 'progress')(formatNumber('sw', 1234), formatNumber('sw', 10_000))).toBe('Sahihi 1,234 kati ya 10,000');
  });

  it('reads any sw* language tag as Kiswahili and everything else as English', () => {
    expect(['sw', 'sw-KE', 'SW-tz', 'swh'].map(localeFromTag)).toEqual(['sw', 'sw', 'sw', 'sw']);
    expect(['en', 'en-KE', 'fr', '', null, undefined].map(localeFromTag)).toEqual(['en', 'en', 'en', 'en', 'en', 'en']);
  });
});

describe('contract', () => {
  it('uses the same length limits as the API schema', () => {
    expect([NAME_MAX, COMMENT_MAX]).toEqual([CONTRACT_NAME_MAX, CONTRACT_COMMENT_MAX]);
    const base = { name: 'A', phone: '0712345678', consent: { terms: true } };
    expect(SignRequestSchema.safeParse({ ...base, source: 'x'.repeat(SOURCE_MAX) }).success).toBe(true);
    expect(SignRequestSchema.safeParse({ ...base, source: 'x'.repeat(SOURCE_MAX + 1) }).success).toBe(false);
  });

  it('imports from @imlu/contracts at run time only its dependency-free modules', () => {
    for (const file of sourceFiles(join(root, 'src'))) {
      const source = readFileSync(file, 'utf8');
      for (const [statement] of source.matchAll(/^import (?!type )[^;]*from '@imlu\/contracts[^']*';/gm)) {
        expect(statement, file).toMatch(/from '@imlu\/contracts\/(accepting|county-names|problems|text-rules)'/);
      }
      expect(source, file).not.toMatch(/from 'zod'/);
    }
  });
});

describe('package', () => {
  it('reports its own version to define()', () => {
    expect(VERSION).toBe(pkg.version);
  });

  it('declares side effects only for the define files and the embed bundle', () => {
    expect(pkg.sideEffects).toEqual([
      './src/imlu-petition.ts',
      './src/imlu-counter.ts',
      './src/imlu-accountability.ts',
      './src/embed.ts',
      './dist/embed.js',
    ]);
    const index = readFileSync(join(root, 'src/index.ts'), 'utf8');
    expect(index).not.toMatch(/^\s*define\(|^import '\.\//m);
  });
});
