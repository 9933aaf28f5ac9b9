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
import { en } from '../src/i18n/en.ts';
import { fieldErrorMessage, formatNumber, localeFromTag, msg } from '../src/i18n/index.ts';
import { sw } from '../src/i18n/sw.ts';
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

describe('message catalogs', () => {
  it('has every English string in Kiswahili, and nothing else', () => {
    expect(Object.keys(sw).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(sw)) {
      expect(typeof value, key).toBe(typeof en[key as keyof typeof en]);
      if (typeof value === 'string') expect(value.trim(), key).not.toBe('');
    }
  });

  it('gives every API field error code a message in both languages', () => {
    for (const code of FIELD_ERROR_CODES) {
      expect(fieldErrorMessage('en', code), code).toMatch(/\w/);
      expect(fieldErrorMessage('sw', code), code).toMatch(/\w/);
    }
    expect(fieldErrorMessage('sw', 'invalid_phone')).toBe('Weka nambari halali ya simu, kama 0712 345 678.');
    expect(fieldErrorMessage('en', 'unknown_field')).toBe(en.err_invalid);
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
        expect(statement, file).toMatch(/from '@imlu\/contracts\/(county-names|problems)'/);
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
    expect(pkg.sideEffects).toEqual(['./src/imlu-petition.ts', './src/imlu-counter.ts', './src/embed.ts', './dist/embed.js']);
    const index = readFileSync(join(root, 'src/index.ts'), 'utf8');
    expect(index).not.toMatch(/^\s*define\(|^import '\.\//m);
  });
});
