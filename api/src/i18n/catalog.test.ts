/**
 * The catalog's own rules: every language has every message, none empty, with the same parameters as the
 * English one; a plural has both forms. (That code asks only for ids that exist is the type of `message`.)
 */
import { FIELD_ERROR_CODES, FIELD_ERROR_MESSAGES, LOCALES } from '@imlu/contracts';
import { describe, expect, it } from 'vitest';
import { CATALOGS, message, type Catalog, type Message, type MessageId } from './index.ts';

const ids = Object.keys(CATALOGS.en) as MessageId[];
const texts = (entry: Message) => (typeof entry === 'string' ? [entry] : [entry.one, entry.other]);
const placeholders = (entry: Message) => new Set(texts(entry).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)));

describe('the API message catalog', () => {
  it('says every field error code of the contracts, in English exactly as the contracts do', () => {
    for (const code of FIELD_ERROR_CODES) expect(message('en', `api.fieldErrors.${code}`), code).toBe(FIELD_ERROR_MESSAGES[code]);
    expect(ids.filter((id) => id.startsWith('api.fieldErrors.')).length).toBe(FIELD_ERROR_CODES.length);
  });

  it('has the same ids in every language', () => {
    for (const locale of LOCALES) expect(Object.keys(CATALOGS[locale]).sort()).toEqual([...ids].sort());
  });

  it.each(LOCALES)('has no empty message in %s', (locale) => {
    const empty = ids.filter((id) => texts(CATALOGS[locale][id]).some((text) => text.trim() === ''));
    expect(empty).toEqual([]);
  });

  it.each(LOCALES)('uses in %s only parameters the English message has, and a plural only where English has one', (locale) => {
    for (const id of ids) {
      const english = CATALOGS.en[id];
      const translated = CATALOGS[locale][id];
      const allowed = placeholders(english);
      if (typeof english !== 'string') allowed.add('n');
      expect([...placeholders(translated)].filter((name) => !allowed.has(name)), id).toEqual([]);
      if (typeof translated !== 'string') expect(typeof english, `${id} is a plural in ${locale} only`).not.toBe('string');
    }
  });

  it('keeps every English parameter in every language (a lost {title} would drop the campaign name)', () => {
    for (const locale of LOCALES) {
      for (const id of ids) {
        const missing = [...placeholders(CATALOGS.en[id])].filter((name) => name !== 'n' && !placeholders(CATALOGS[locale][id]).has(name));
        expect(missing, `${locale} ${id}`).toEqual([]);
      }
    }
  });

  it('fills named parameters and picks the plural form by n', () => {
    expect(message('en', 'hosted.errorSummary', { n: 1 })).toBe('Please fix 1 problem in the form.');
    expect(message('en', 'hosted.errorSummary', { n: 3 })).toBe('Please fix 3 problems in the form.');
    expect(message('sw', 'hosted.errorSummary', { n: 1 })).toBe('Tafadhali rekebisha kosa 1 kwenye fomu.');
    expect(message('sw', 'hosted.errorSummary', { n: 3 })).toBe('Tafadhali rekebisha makosa 3 kwenye fomu.');
    expect(message('sw', 'hosted.progress', { count: '1,200', goal: '5,000' })).toBe('Sahihi 1,200 kati ya 5,000');
    // A value is inserted once, as given: braces in it are not read as parameters.
    expect(message('en', 'confirm.intro', { title: '{count} & <b>' })).toBe('You are about to confirm this signature on "{count} & <b>":');
  });
});

describe('the catalog types (checked by `pnpm typecheck`)', () => {
  it('refuse a language that misses an id, and an id that does not exist', () => {
    // @ts-expect-error: a catalog without every id is not a Catalog
    const partial: Catalog = { 'hosted.languageNav': 'Lugha' };
    // @ts-expect-error: no such message
    const unknown = () => message('sw', 'hosted.noSuchMessage');
    // @ts-expect-error: the English text names {title}, so it must be given
    const unfilled = () => message('sw', 'confirm.intro');
    expect([partial, unknown, unfilled]).toHaveLength(3);
  });
});

describe('englishLeaks (the check the Kiswahili page tests use)', () => {
  it('finds English copy, also around parameters, and passes the Kiswahili of the same messages', async () => {
    const { englishLeaks } = await import('./english-leaks.ts');
    expect(englishLeaks(message('en', 'confirm.intro', { title: 'Haki' }))).toEqual(['You are about to confirm this signature on']);
    expect(englishLeaks(message('en', 'hosted.code.wrong'))).toEqual(['That code is not right. Check the SMS and try again']);
    for (const id of Object.keys(CATALOGS.sw) as MessageId[]) {
      for (const text of texts(CATALOGS.sw[id])) expect(englishLeaks(text), id).toEqual([]);
    }
  });
});
