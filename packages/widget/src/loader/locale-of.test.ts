import { expect, fixture, html } from '@open-wc/testing';
import { resolveLocale } from '../i18n/locale.ts';
import { localeOf } from './locale-of.ts';

/** The loader asks for the first paint in the language the element will then speak: the same rule, twice. */
describe("embed.js's localeOf", () => {
  afterEach(() => (document.documentElement.lang = 'en'));

  it('agrees with the element on its own lang, its ancestors (across shadow roots), <html lang> and the browser', async () => {
    const cases: [string, string | null, string | null][] = [
      // [html lang, wrapper lang, element lang]
      ['en', null, 'sw'],
      ['en', null, 'SW-ke'],
      ['en', null, ' sw'],
      ['sw', null, null],
      ['sw-KE', 'fr', null],
      ['en', 'sw', null],
      ['fr', null, null],
      ['', null, null],
      ['sw', 'en-GB', null],
      ['en', null, 'fr'],
      ['sw', null, ''],
    ];
    for (const [page, wrapper, own] of cases) {
      document.documentElement.lang = page;
      const outer = await fixture<HTMLDivElement>(html`<div></div>`);
      if (wrapper !== null) outer.setAttribute('lang', wrapper);
      const host = document.createElement('span');
      outer.append(host);
      const el = document.createElement('imlu-petition-unknown');
      if (own !== null) el.setAttribute('lang', own);
      host.attachShadow({ mode: 'open' }).append(el);
      expect(localeOf(el), JSON.stringify([page, wrapper, own])).to.equal(resolveLocale(el));
    }
  });
});
