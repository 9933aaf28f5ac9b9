/**
 * Language and accessibility in every state of `<imlu-accountability>`: axe finds nothing in either
 * language, and a Kiswahili one shows no English sentence anywhere (text or aria attribute). Names,
 * offices, institutions and statements are the duty bearers' own words and are not translated.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../imlu-accountability.ts';
import { catalog } from '../i18n/index.ts';
import { accountabilityFixture } from '../testing/accountability-fixtures.ts';
import { json, problem, stubFetch, uniqueApi, type FetchStub, type Route } from '../testing/fixtures.ts';
import { accountabilityCatalog } from './accountability.messages.ts';
import { historyCatalog } from './history.messages.ts';
import { msgFor } from '../i18n/index.ts';
import type { ImluAccountability } from './accountability.component.ts';

const $ = (el: ImluAccountability, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);

function texts(el: ImluAccountability): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(el.shadowRoot!, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) found.push(walker.currentNode.textContent!.trim());
  for (const node of el.shadowRoot!.querySelectorAll('*')) {
    for (const name of ['aria-label', 'aria-description', 'title', 'placeholder', 'alt']) {
      const value = node.getAttribute(name);
      if (value) found.push(value.trim());
    }
  }
  return found.filter(Boolean);
}

/** Pieces of English the element could show: its messages, the shared ones, and the campaign's English content. */
const ENGLISH = (() => {
  const cut = '\u0001';
  const pieces = [
    ...Object.values(accountabilityCatalog('en')),
    ...Object.values(historyCatalog('en', msgFor)),
    ...Object.values(catalog('en')),
  ].flatMap((message) =>
    typeof message === 'function'
      ? // All values cut out, and once more with 1 as the second value (a plural's count).
        [cut, 1].flatMap((n) => (message as (...args: unknown[]) => string)(cut, n, cut, cut).split(cut))
      : [message],
  );
  const data = accountabilityFixture();
  pieces.push(data.title.en, ...data.demands.map((d) => d.text.en), ...data.milestones.map((m) => m.label.en));
  // English month names of the fixture's dates, in case a date were formatted for the wrong locale
  pieces.push('January', 'February', 'March'); // (not April: Kiswahili's is Aprili)
  return [...new Set(pieces.map((piece) => piece.trim()).filter((piece) => piece.length >= 5))];
})();

function expectNoEnglish(el: ImluAccountability, state: string): void {
  for (const text of texts(el)) {
    for (const english of ENGLISH) expect(text, `${state}: "${text}" contains English "${english}"`).not.to.include(english);
  }
}

let stub: FetchStub | undefined;

async function mount(lang: string, route: Route, status = ''): Promise<ImluAccountability> {
  stub = stubFetch(route);
  return fixture<ImluAccountability>(
    html`<imlu-accountability lang=${lang} status=${status} campaign="justice-for-survivors" api=${uniqueApi()}></imlu-accountability>`,
  );
}

const loaded = (route: Route = () => json(accountabilityFixture()), status = '') => async (lang: string) => {
  const el = await mount(lang, route, status);
  await waitUntil(() => $(el, 'h2'));
  return el;
};

const STATES: { name: string; reach: (lang: string) => Promise<ImluAccountability> }[] = [
  {
    name: 'loading',
    reach: async (lang) => {
      const el = await mount(lang, () => new Promise<Response>(() => {}));
      await waitUntil(() => $(el, '.skeleton'));
      return el;
    },
  },
  { name: 'loaded', reach: loaded() },
  {
    name: 'filtered',
    reach: async (lang) => {
      const el = await loaded()(lang);
      const select = $(el, '[part="filter"]') as HTMLSelectElement;
      select.value = 'overdue';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      return el;
    },
  },
  { name: 'filtered to nothing', reach: loaded(undefined, 'asked') },
  {
    name: 'expanded history',
    reach: async (lang) => {
      const el = await loaded()(lang);
      for (const details of el.shadowRoot!.querySelectorAll('details')) details.open = true;
      // The history arrives with its chunk, on the first opening.
      await waitUntil(() => el.shadowRoot!.querySelector('details time'), 'the history loads');
      return el;
    },
  },
  {
    name: 'empty',
    reach: loaded(() =>
      json(
        accountabilityFixture({
          targets: [],
          milestones: [],
          summary: { targets: 0, asked: 0, responded: 0, committed: 0, delivered: 0, declined: 0, broken: 0, overdue: 0 },
        }),
      ),
    ),
  },
  {
    name: 'error',
    reach: async (lang) => {
      const el = await mount(lang, () => Promise.reject(new TypeError('Failed to fetch')));
      await waitUntil(() => $(el, '[role="alert"] button'));
      return el;
    },
  },
  {
    name: 'error (server)',
    reach: async (lang) => {
      const el = await mount(lang, () => problem('not-found', 404));
      await waitUntil(() => $(el, '[role="alert"] button'));
      return el;
    },
  },
];

describe('<imlu-accountability> in every state', () => {
  afterEach(() => stub?.restore());

  for (const { name, reach } of STATES) {
    it(`[axe] ${name}: accessible in English and in Kiswahili, with no English left in Kiswahili`, async () => {
      const english = await reach('en');
      await english.updateComplete;
      await expect(english).to.be.accessible();
      stub?.restore();

      const swahili = await reach('sw');
      await swahili.updateComplete;
      await expect(swahili).to.be.accessible();
      expectNoEnglish(swahili, name);
      expect(texts(swahili).length, 'the state shows some text').to.be.greaterThan(0);
    });
  }

  it('the English check itself catches an English word', async () => {
    const el = await loaded()('sw');
    $(el, 'summary')!.textContent = 'History';
    expect(() => expectNoEnglish(el, 'planted')).to.throw(/contains English "History"/);
  });

  it('follows <html lang> when it has no lang of its own', async () => {
    stub = stubFetch(() => json(accountabilityFixture()));
    const el = await fixture<ImluAccountability>(
      html`<imlu-accountability campaign="justice-for-survivors" api=${uniqueApi()}></imlu-accountability>`,
    );
    await waitUntil(() => $(el, 'h2'));
    expect($(el, 'h2')!.textContent).to.equal('Justice for survivors');
    document.documentElement.lang = 'sw';
    try {
      await waitUntil(() => $(el, 'h2')!.textContent === 'Haki kwa manusura');
      expect($(el, 'div')!.getAttribute('lang')).to.equal('sw');
      expectNoEnglish(el, 'page language');
    } finally {
      document.documentElement.lang = 'en';
    }
  });
});
