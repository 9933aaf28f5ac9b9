/**
 * Language and accessibility in every state the petition can be in: axe finds nothing in either language,
 * a Kiswahili petition shows no English sentence anywhere (text or aria attribute), and two petitions in
 * different languages on one page each keep their own.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../imlu-petition.ts';
import { catalog, msgFor } from '../i18n/index.ts';
import { signingCatalog } from '../i18n/signing.ts';
import { lazy, type ImluPetition } from './petition.component.ts';
import {
  apiRoutes,
  campaignFixture,
  deferred,
  json,
  problem,
  stubFetch,
  uniqueApi,
  type FetchStub,
  type Route,
} from '../testing/fixtures.ts';

const $ = <T extends HTMLElement = HTMLElement>(el: ImluPetition, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);

/** Every text node and every text-bearing attribute a signer or a screen reader meets. */
function texts(el: ImluPetition): string[] {
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

/**
 * Pieces of English the widget could show: every message (messages with values split at the values) and
 * the campaign's English content. Pieces under 5 characters ("of") are too common to mean anything.
 */
const ENGLISH = (() => {
  const cut = '\u0001';
  const pieces = [...Object.values(catalog('en')), ...Object.values(signingCatalog('en', msgFor))].flatMap((message) =>
    typeof message === 'function'
      ? [1, 2].flatMap((n) => (message as (...args: unknown[]) => string)(cut, n, cut).split(cut))
      : [message],
  );
  const campaign = campaignFixture();
  pieces.push(campaign.title.en, campaign.summary.en, ...campaign.demands.map((demand) => demand.text.en));
  return [...new Set(pieces.map((piece) => piece.trim()).filter((piece) => piece.length >= 5))];
})();

function expectNoEnglish(el: ImluPetition, state: string): void {
  for (const text of texts(el)) {
    for (const english of ENGLISH) expect(text, `${state}: "${text}" contains English "${english}"`).not.to.include(english);
  }
}

function fillValid(el: ImluPetition): void {
  for (const [id, value] of Object.entries({ name: 'Wanjirũ Kamau', phone: '0712 345 678' })) {
    const input = $<HTMLInputElement>(el, `#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  $<HTMLInputElement>(el, '#terms')!.checked = true;
}

const submit = (el: ImluPetition) => $<HTMLButtonElement>(el, '[part="submit"]')!.click();

async function mount(lang: string, route: Route): Promise<ImluPetition> {
  stub = stubFetch(route);
  return fixture<ImluPetition>(
    html`<imlu-petition lang=${lang} campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition>`,
  );
}

let stub: FetchStub | undefined;

/** Each state: how to reach it, and what shows that it has been reached. */
const STATES: { name: string; reach: (lang: string) => Promise<ImluPetition> }[] = [
  {
    name: 'loading',
    reach: async (lang) => {
      const el = await mount(lang, () => deferred<Response>().promise);
      await waitUntil(() => $(el, '.skeleton'));
      return el;
    },
  },
  {
    name: 'load error',
    reach: async (lang) => {
      const el = await mount(lang, () => Promise.reject(new TypeError('Failed to fetch')));
      await waitUntil(() => $(el, '[role="alert"] button'));
      return el;
    },
  },
  {
    name: 'not found',
    reach: async (lang) => {
      const el = await mount(lang, () => problem('not-found', 404));
      await waitUntil(() => $(el, '.notice'));
      return el;
    },
  },
  {
    name: 'empty form',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes());
      await waitUntil(() => $(el, 'form'));
      return el;
    },
  },
  {
    name: 'invalid (checked in the browser)',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes());
      await waitUntil(() => $(el, 'form'));
      submit(el);
      await waitUntil(() => $(el, '#terms-error'));
      return el;
    },
  },
  {
    name: 'invalid (from the server)',
    reach: async (lang) => {
      const el = await mount(
        lang,
        apiRoutes({
          sign: () =>
            problem('validation', 422, [
              { path: 'phone', code: 'invalid_phone' },
              { path: 'name', code: 'invalid_name' },
              { path: 'county', code: 'invalid_county' },
              { path: 'comment', code: 'too_long' },
            ]),
        }),
      );
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, '#comment-error'));
      return el;
    },
  },
  {
    name: 'submitting',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes({ sign: () => deferred<Response>().promise }));
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, 'form[aria-busy="true"]'));
      return el;
    },
  },
  {
    name: 'offline, resending',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes({ sign: () => Promise.reject(new TypeError('Failed to fetch')) }));
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, '#retry-now'));
      return el;
    },
  },
  {
    name: 'server error',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes({ sign: () => problem('internal', 500) }));
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, '#retry'));
      return el;
    },
  },
  {
    name: 'thank-you (pending confirmation)',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes());
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, '[part="thank-you"]'));
      return el;
    },
  },
  {
    name: 'thank-you (counted)',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes({ sign: () => json({ status: 'counted' }, 201) }));
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, '[part="thank-you"]'));
      return el;
    },
  },
  {
    name: 'thank-you (check your e-mail)',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes({ sign: () => json({ status: 'pending_verification', confirmation: { channel: 'email' } }, 202) }));
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, '[part="thank-you"]'));
      return el;
    },
  },
  ...(['ready', 'wrong', 'too many'] as const).map((state) => ({
    name: `SMS code (${state})`,
    reach: async (lang: string) => {
      const el = await mount(
        lang,
        apiRoutes({
          sign: () => json({ status: 'pending_verification', confirmation: { channel: 'sms', handle: 'v1.h' } }, 202),
          confirm: () => (state === 'wrong' ? problem('validation', 422, [{ path: 'code', code: 'invalid' }]) : problem('rate-limited', 429)),
        }),
      );
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, '#code'));
      if (state !== 'ready') {
        $<HTMLInputElement>(el, '#code')!.value = '123456';
        $<HTMLButtonElement>(el, '#code ~ button, section form button')!.click();
        await waitUntil(() => $(el, '#code-error'));
      }
      return el;
    },
  })),
  ...(['a new code is on its way', 'wait for a new code', 'after "Change my details"'] as const).map((state) => ({
    name: `SMS code (${state})`,
    reach: async (lang: string) => {
      const el = await mount(
        lang,
        apiRoutes({
          sign: () => json({ status: 'pending_verification', confirmation: { channel: 'sms', handle: 'v1.h' } }, 202),
          resend: () => (state === 'wait for a new code' ? problem('rate-limited', 429, undefined, { 'Retry-After': '45' }) : json({ status: 'queued' }, 202)),
        }),
      );
      await waitUntil(() => $(el, 'form'));
      fillValid(el);
      submit(el);
      await waitUntil(() => $(el, '#code'));
      if (state === 'after "Change my details"') {
        $<HTMLButtonElement>(el, '#change-details')!.click();
        await waitUntil(() => $<HTMLInputElement>(el, '#name')?.value);
      } else {
        $<HTMLButtonElement>(el, '#resend')!.click();
        // Success moves the focus to the emptied code input; a 429 names the wait.
        await waitUntil(() =>
          state === 'wait for a new code'
            ? $(el, 'section [role="status"]')!.textContent!.includes('45')
            : el.shadowRoot!.activeElement?.id === 'code',
        );
      }
      return el;
    },
  })),
  {
    name: 'not yet open',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes({ campaign: campaignFixture({ opensAt: '2999-03-03T09:00:00.000Z' }) }));
      await waitUntil(() => $(el, '#closed-heading'));
      return el;
    },
  },
  {
    name: 'signing code failed to load',
    reach: async (lang) => {
      const original = lazy.signing;
      lazy.signing = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
      try {
        const el = await mount(lang, apiRoutes());
        await waitUntil(() => $(el, 'form'));
        fillValid(el);
        submit(el);
        await waitUntil(() => $(el, '#chunk-failed'));
        return el;
      } finally {
        lazy.signing = original;
      }
    },
  },
  {
    name: 'milestones',
    reach: async (lang) => {
      const milestones = [
        { threshold: 1000, label: { en: 'Handed to the county assembly', sw: 'Limekabidhiwa bunge la kaunti' }, reachedAt: '2025-03-03T09:00:00.000Z' },
        { threshold: 10_000, label: { en: 'Delivered to the DPP', sw: 'Litawasilishwa kwa DPP' }, reachedAt: null },
      ];
      const el = await mount(lang, apiRoutes({ campaign: campaignFixture({ milestones }) }));
      await waitUntil(() => $(el, '#milestone-next'));
      return el;
    },
  },
  {
    name: 'closed',
    reach: async (lang) => {
      const el = await mount(lang, apiRoutes({ campaign: campaignFixture({ status: 'closed' }) }));
      await waitUntil(() => $(el, '#closed-heading'));
      return el;
    },
  },
];

describe('<imlu-petition> in every state', () => {
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

  it('the English check itself catches an English sentence', async () => {
    const el = await (STATES.find((state) => state.name === 'empty form')!.reach('sw'));
    $(el, '#form-heading')!.textContent = 'Add your name';
    expect(() => expectNoEnglish(el, 'planted')).to.throw(/contains English "Add your name"/);
  });
});

describe("the browser's preferred language, when the page does not say", () => {
  let html0: string | null;
  beforeEach(() => {
    html0 = document.documentElement.getAttribute('lang');
    Object.defineProperty(navigator, 'languages', { configurable: true, value: ['fr-FR', 'sw-KE', 'en'] });
  });
  afterEach(() => {
    stub?.restore();
    delete (navigator as { languages?: unknown }).languages;
    if (html0 === null) document.documentElement.removeAttribute('lang');
    else document.documentElement.setAttribute('lang', html0);
  });

  async function heading(lang: string | undefined, wrapperLang?: string): Promise<string> {
    stub?.restore();
    stub = stubFetch(apiRoutes());
    const box = await fixture<HTMLElement>(
      html`<div lang=${wrapperLang ?? ''}><imlu-petition lang=${lang ?? ''} campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition></div>`,
    );
    if (wrapperLang === undefined) box.removeAttribute('lang');
    const el = box.querySelector('imlu-petition')!;
    if (lang === undefined) el.removeAttribute('lang');
    await waitUntil(() => $(el, 'form'));
    return $(el, 'h2')!.textContent!;
  }

  it('takes the element, then an ancestor that names en or sw, then navigator.languages, then English', async () => {
    document.documentElement.removeAttribute('lang');
    expect(await heading(undefined), 'nothing on the page: the browser prefers Kiswahili').to.equal('Haki kwa manusura');
    document.documentElement.setAttribute('lang', 'fr');
    expect(await heading(undefined), 'a page in French').to.equal('Haki kwa manusura');
    expect(await heading(undefined, ''), 'lang="" is unknown').to.equal('Haki kwa manusura');
    document.documentElement.setAttribute('lang', 'en-KE');
    expect(await heading(undefined), 'the page says English').to.equal('Justice for survivors');
    expect(await heading(undefined, 'sw'), 'the closest ancestor says Kiswahili').to.equal('Haki kwa manusura');
    expect(await heading('en', 'sw'), 'the element says English').to.equal('Justice for survivors');

    document.documentElement.removeAttribute('lang');
    Object.defineProperty(navigator, 'languages', { configurable: true, value: ['fr-FR', 'de'] });
    expect(await heading(undefined), 'neither language preferred').to.equal('Justice for survivors');
  });
});

describe('two petitions in different languages on one page', () => {
  afterEach(() => stub?.restore());

  it('each speaks its own language, in its texts, its errors and the locale it sends', async () => {
    stub = stubFetch(apiRoutes());
    const api = uniqueApi();
    const page = await fixture<HTMLElement>(html`<div lang="en">
      <imlu-petition lang="sw" campaign="justice-for-survivors" api=${api}></imlu-petition>
      <imlu-petition campaign="justice-for-survivors" api=${api}></imlu-petition>
    </div>`);
    const [swahili, english] = [...page.querySelectorAll('imlu-petition')];
    await waitUntil(() => $(swahili!, 'form') && $(english!, 'form'));
    expect($(swahili!, 'h2')!.textContent).to.equal('Haki kwa manusura');
    expect($(english!, 'h2')!.textContent).to.equal('Justice for survivors');
    expect($(swahili!, '[part="submit"]')!.textContent!.trim()).to.equal('Tia sahihi');
    expect($(english!, '[part="submit"]')!.textContent!.trim()).to.equal('Sign the petition');

    submit(swahili!);
    submit(english!);
    await waitUntil(() => $(swahili!, '#name-error') && $(english!, '#name-error'));
    expect($(swahili!, '#name-error')!.textContent).to.equal('Sehemu hii ni lazima ijazwe.');
    expect($(english!, '#name-error')!.textContent).to.equal('This field is required.');
    expectNoEnglish(swahili!, 'beside an English petition');

    fillValid(swahili!);
    fillValid(english!);
    submit(swahili!);
    submit(english!);
    await waitUntil(() => stub!.callsTo('/signatures').length === 2);
    const locales = stub!.callsTo('/signatures').map((call) => (call.body as { locale: string }).locale).sort();
    expect(locales).to.deep.equal(['en', 'sw']);
    await waitUntil(() => $(swahili!, '#thanks-heading') && $(english!, '#thanks-heading'));
    expect($(swahili!, '#thanks-heading')!.textContent).to.equal('Asante kwa kutia sahihi');
    expect($(english!, '#thanks-heading')!.textContent).to.equal('Thank you for signing');
  });
});
