import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../imlu-petition.ts';
import type { ImluErrorEvent, ImluSignedEvent } from '../events.ts';
import type { ImluPetition } from './petition.component.ts';
import {
  apiRoutes,
  campaignFixture,
  deferred,
  json,
  problem,
  settle,
  stubFetch,
  uniqueApi,
  type FetchStub,
} from '../testing/fixtures.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PII = ['Wanjirũ', 'Kamau', '0712 345 678', 'wanjiru@example.org', 'Because'];

async function petition(attributes: { lang?: string; source?: string } = {}): Promise<ImluPetition> {
  const el = await fixture<ImluPetition>(
    html`<imlu-petition campaign="justice-for-survivors" api=${uniqueApi()} source=${attributes.source ?? ''}></imlu-petition>`,
  );
  if (attributes.lang) el.setAttribute('lang', attributes.lang);
  await waitUntil(() => el.shadowRoot!.querySelector('div[aria-busy="false"]'), 'petition did not load');
  await el.updateComplete;
  return el;
}

function $<T extends Element = HTMLElement>(el: ImluPetition, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in <imlu-petition>`);
  return found;
}

function fill(el: ImluPetition, values: Record<string, string>): void {
  for (const [id, value] of Object.entries(values)) {
    const input = $<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(el, `#${id}`);
    input.value = value;
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }
}

function check(el: ImluPetition, ...ids: string[]): void {
  for (const id of ids) $<HTMLInputElement>(el, `#${id}`).checked = true;
}

function fillValid(el: ImluPetition): void {
  fill(el, { name: '  Wanjirũ Kamau ', phone: '0712 345 678', county: 'KE-30', comment: 'Because' });
  check(el, 'terms');
}

function submit(el: ImluPetition): void {
  $<HTMLButtonElement>(el, '[part="submit"]').click();
}

/** The focused element inside the shadow root. */
function focused(el: ImluPetition): Element | null {
  return el.shadowRoot!.activeElement;
}

function describedText(el: ImluPetition, id: string): string {
  const ids = ($(el, `#${id}`).getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  return ids.map((ref) => $(el, `#${ref}`).textContent!.trim()).join(' | ');
}

describe('<imlu-petition>', () => {
  let stub: FetchStub;
  afterEach(() => {
    stub?.restore();
    document.documentElement.lang = 'en';
    history.replaceState(null, '', location.pathname);
  });

  it('[axe] is accessible when ready, and while loading', async () => {
    const campaign = deferred<Response>();
    stub = stubFetch(() => campaign.promise);
    const el = await fixture<ImluPetition>(html`<imlu-petition campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition>`);
    expect($(el, '.skeleton').isConnected).to.equal(true);
    expect($(el, '[aria-busy]').getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();

    campaign.resolve(json(campaignFixture()));
    await waitUntil(() => el.shadowRoot!.querySelector('form'));
    await expect(el).to.be.accessible();
  });

  describe('rendering', () => {
    it('shows the campaign in English: title, summary, ordered demands, progress and the form', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition();
      expect(stub.calls[0]!.url).to.match(/^https:\/\/api-\d+\.imlu\.test\/v1\/campaigns\/justice-for-survivors\/form$/);
      expect(stub.calls[0]!.credentials).to.equal('omit');
      expect($(el, 'h2').textContent).to.equal('Justice for survivors');
      expect([...el.shadowRoot!.querySelectorAll('ol li')].map((li) => li.textContent)).to.deep.equal([
        'Investigate every case',
        'Protect witnesses',
      ]);
      const progress = $<HTMLProgressElement>(el, 'progress');
      expect([progress.value, progress.max]).to.deep.equal([1234, 10_000]);
      expect($(el, '[part="counter"]').textContent!.trim()).to.equal('1,234 of 10,000 signatures');
      expect(progress.getAttribute('aria-labelledby')).to.equal('progress-text');

      // Phone before e-mail; a label on every input; 47 counties after the placeholder.
      const ids = [...el.shadowRoot!.querySelectorAll('input, select, textarea')].map((input) => input.id);
      expect(ids).to.deep.equal(['name', 'phone', 'email', 'county', 'comment', 'website', 'terms', 'publicName', 'shareWithTargets', 'updates']);
      for (const id of ids) expect(el.shadowRoot!.querySelector(`label[for="${id}"]`), id).not.to.equal(null);
      expect($(el, '#phone').getAttribute('type')).to.equal('tel');
      expect($<HTMLSelectElement>(el, '#county').options).to.have.length(48);
      expect($(el, 'label[for="terms"]').textContent).to.match(/^I agree to the terms/);
      expect($(el, '[part="submit"]').textContent!.trim()).to.equal('Sign the petition');
    });

    it('folds a long summary to its first lines where the petition is narrow, and the button unfolds it', async () => {
      const long = 'Survivors deserve justice, and the officials who can give it have been asked again and again. '.repeat(3);
      stub = stubFetch(apiRoutes({ campaign: campaignFixture({ summary: { en: long, sw: long } }) }));
      const el = await fixture<ImluPetition>(
        html`<div style="width: 360px"><imlu-petition campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition></div>`,
      ).then((wrapper) => wrapper.querySelector('imlu-petition')!);
      await waitUntil(() => el.shadowRoot!.querySelector('form'), 'petition did not load');
      const summary = $(el, '#summary');
      const button = $<HTMLButtonElement>(el, 'button[aria-controls="summary"]');
      const lineHeight = parseFloat(getComputedStyle(summary).lineHeight);
      expect(summary.textContent).to.equal(long);
      expect(button.textContent!.trim()).to.equal('Read more');
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      expect(Math.round(summary.getBoundingClientRect().height / lineHeight)).to.equal(3);
      await expect(el).to.be.accessible();
      button.click();
      await el.updateComplete;
      expect(button.textContent!.trim()).to.equal('Show less');
      expect(button.getAttribute('aria-expanded')).to.equal('true');
      expect(summary.getBoundingClientRect().height / lineHeight).to.be.greaterThan(4);
      await expect(el).to.be.accessible();

      // Wide, the whole summary and no button; a short summary never folds.
      (el.parentElement as HTMLElement).style.width = '800px';
      button.click();
      await el.updateComplete;
      expect(getComputedStyle(button).display).to.equal('none');
      expect(summary.scrollHeight).to.be.at.most(Math.ceil(summary.getBoundingClientRect().height));
      stub.restore();
      stub = stubFetch(apiRoutes());
      const short = await petition();
      expect(short.shadowRoot!.querySelector('button[aria-controls="summary"]')).to.equal(null);
    });

    it('shows the campaign and every label in Kiswahili for lang="sw"', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition({ lang: 'sw' });
      await el.updateComplete;
      expect($(el, 'h2').textContent).to.equal('Haki kwa manusura');
      expect($(el, 'ol li').textContent).to.equal('Chunguza kila kesi');
      expect($(el, '[part="counter"]').textContent!.trim()).to.equal('Sahihi 1,234 kati ya 10,000');
      expect($(el, 'label[for="name"]').textContent).to.equal('Jina lako');
      expect($(el, 'label[for="terms"]').textContent).to.match(/^Ninakubali masharti/);
      expect($(el, '[part="submit"]').textContent!.trim()).to.equal('Tia sahihi');
      // Counties sorted by their Kiswahili name: Pokot Magharibi under P.
      const names = [...$<HTMLSelectElement>(el, '#county').options].map((option) => option.text);
      expect(names.indexOf('Pokot Magharibi')).to.be.below(names.indexOf('Samburu'));
      expect($(el, '[lang]').getAttribute('lang')).to.equal('sw');
      await expect(el).to.be.accessible();
    });

    it('follows <html lang> when it changes, keeping what the signer typed', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition();
      fill(el, { name: 'Akinyi', county: 'KE-47' });
      document.documentElement.lang = 'sw-KE';
      await settle();
      expect($(el, 'h2').textContent).to.equal('Haki kwa manusura');
      expect($<HTMLInputElement>(el, '#name').value).to.equal('Akinyi');
      const county = $<HTMLSelectElement>(el, '#county');
      expect([county.value, county.selectedOptions[0]!.text]).to.deep.equal(['KE-47', 'Pokot Magharibi']);

      document.documentElement.lang = 'en';
      await settle();
      expect($(el, 'h2').textContent).to.equal('Justice for survivors');
      expect(county.selectedOptions[0]!.text).to.equal('West Pokot');
    });

    it('updates the comment character count', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition();
      expect($(el, '#comment-count').textContent!.trim()).to.equal('0 of 500 characters');
      fill(el, { comment: 'Haki sasa' });
      await el.updateComplete;
      expect($(el, '#comment-count').textContent!.trim()).to.equal('9 of 500 characters');
      expect($(el, '#comment').getAttribute('maxlength')).to.equal('500');
    });

    it('shows a closed campaign with a clear message instead of the form', async () => {
      stub = stubFetch(apiRoutes({ campaign: campaignFixture({ status: 'closed' }) }));
      const el = await petition();
      expect(el.shadowRoot!.querySelector('form')).to.equal(null);
      expect($(el, '#closed-heading').textContent).to.equal('This petition is closed');
      expect($(el, 'h2').textContent).to.equal('Justice for survivors');
      await expect(el).to.be.accessible();
    });

    it('treats a campaign past its closing date as closed', async () => {
      stub = stubFetch(apiRoutes({ campaign: campaignFixture({ closesAt: '2020-01-01T00:00:00.000Z' }) }));
      const el = await petition();
      expect(el.shadowRoot!.querySelector('form')).to.equal(null);
      expect($(el, '#closed-heading').textContent).to.equal('This petition is closed');
    });

    it('before it opens, shows the date signing opens instead of the form, in the language, accessibly', async () => {
      stub = stubFetch(apiRoutes({ campaign: campaignFixture({ opensAt: '2999-03-03T09:00:00.000Z', closesAt: '2999-04-01T00:00:00.000Z' }) }));
      const el = await petition();
      expect(el.shadowRoot!.querySelector('form')).to.equal(null);
      expect($(el, '#closed-heading').textContent).to.equal('Signing opens on 3 March 2999');
      expect(el.shadowRoot!.textContent).not.to.contain('closed');
      expect($(el, 'h2').textContent).to.equal('Justice for survivors');
      await expect(el).to.be.accessible();
      el.setAttribute('lang', 'sw');
      await waitUntil(() => $(el, '#closed-heading').textContent!.startsWith('Kutia'), 'the notice did not follow the language');
      expect($(el, '#closed-heading').textContent).to.equal('Kutia sahihi kutaanza tarehe 3 Machi 2999');
      await expect(el).to.be.accessible();
    });

    it('shows the form once opensAt has passed, and the closed message for a draft whatever its dates', async () => {
      stub = stubFetch(apiRoutes({ campaign: campaignFixture({ opensAt: '2020-01-01T00:00:00.000Z', closesAt: '2999-01-01T00:00:00.000Z' }) }));
      const open = await petition();
      expect(open.shadowRoot!.querySelector('form[part="form"]')).not.to.equal(null);
      stub.restore();
      stub = stubFetch(apiRoutes({ campaign: campaignFixture({ status: 'draft', opensAt: '2999-01-01T00:00:00.000Z' }) }));
      const draft = await petition();
      expect(draft.shadowRoot!.querySelector('form')).to.equal(null);
      expect($(draft, '#closed-heading').textContent).to.equal('This petition is closed');
    });

    it('says so when the campaign does not exist, and reports it without personal data', async () => {
      stub = stubFetch(() => problem('not-found', 404));
      const el = document.createElement('imlu-petition');
      const error = oneEvent(el, 'imlu-error') as Promise<ImluErrorEvent>;
      el.setAttribute('campaign', 'nope');
      el.setAttribute('api', uniqueApi());
      await fixture(html`<div>${el}</div>`);
      const { detail } = await error;
      expect(detail).to.deep.equal({ campaign: 'nope', type: 'urn:imlu:problem:not-found', status: 404 });
      await el.updateComplete;
      expect($(el, '.notice').textContent).to.match(/could not be found/);
      await expect(el).to.be.accessible();
    });

    it('offers a retry when the campaign cannot be loaded', async () => {
      let fail = true;
      stub = stubFetch((call) => (fail ? Promise.reject(new TypeError('Failed to fetch')) : apiRoutes()(call)));
      const el = await petition();
      expect($(el, '[role="alert"]').textContent).to.match(/could not be loaded/);
      await expect(el).to.be.accessible();
      fail = false;
      $<HTMLButtonElement>(el, '[role="alert"] button').click();
      await waitUntil(() => el.shadowRoot!.querySelector('form'));
    });
  });

  describe('validation', () => {
    it('checks the required parts before sending, marks the fields and focuses the first', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition();
      submit(el);
      await waitUntil(() => focused(el)?.id === 'name', 'the first invalid field did not get the focus');
      expect(stub.callsTo('/signatures')).to.have.length(0);
      expect($(el, '#name').getAttribute('aria-invalid')).to.equal('true');
      expect(describedText(el, 'name')).to.equal('This field is required.');
      for (const id of ['phone', 'email']) {
        expect($(el, `#${id}`).getAttribute('aria-invalid')).to.equal('true');
        expect(describedText(el, id)).to.contain('Give a phone number or an e-mail address.');
      }
      expect(describedText(el, 'terms')).to.equal('You need to agree to the terms to sign.');
      expect($(el, 'form [role="status"]').textContent).to.equal('Please fix 3 problems in the form.');
      expect($(el, '#county').hasAttribute('aria-invalid')).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('clears each error as its field is put right, before any new press, and the summary with it', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition();
      submit(el);
      await waitUntil(() => focused(el)?.id === 'name');
      const status = () => $(el, 'form [role="status"]').textContent;
      expect(status()).to.equal('Please fix 3 problems in the form.');

      fill(el, { name: 'W' });
      await el.updateComplete;
      expect($(el, '#name').hasAttribute('aria-invalid')).to.equal(false);
      expect(el.shadowRoot!.querySelector('#name-error')).to.equal(null);
      expect(status()).to.equal('Please fix 2 problems in the form.');
      // Only fewer errors while typing: emptying the name again marks nothing until the next press.
      fill(el, { name: '' });
      await el.updateComplete;
      expect($(el, '#name').hasAttribute('aria-invalid')).to.equal(false);
      fill(el, { name: 'Wanjirũ' });

      // An e-mail that is not one yet does not clear "phone or e-mail"; leaving a well-formed one does.
      fill(el, { email: 'wanjiru@' });
      await el.updateComplete;
      expect(describedText(el, 'phone')).to.contain('Give a phone number');
      fill(el, { email: '' });
      fill(el, { phone: '0712 345 678' });
      await el.updateComplete;
      expect($(el, '#phone').hasAttribute('aria-invalid')).to.equal(false);
      expect($(el, '#email').hasAttribute('aria-invalid')).to.equal(false);
      expect(status()).to.equal('Please fix 1 problem in the form.');

      const terms = $<HTMLInputElement>(el, '#terms');
      terms.click();
      await el.updateComplete;
      expect(terms.hasAttribute('aria-invalid')).to.equal(false);
      expect(el.shadowRoot!.querySelector('.error')).to.equal(null);
      // All put right: the polite region goes quiet rather than announcing a zero.
      expect(status()).to.equal('');
      expect(stub.callsTo('/signatures')).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    it("keeps the server's error on a value it refused until the signer changes that value", async () => {
      stub = stubFetch(apiRoutes({ sign: () => problem('validation', 422, [{ path: 'phone', code: 'invalid_phone' }]) }));
      const el = await petition();
      fillValid(el);
      submit(el);
      await waitUntil(() => focused(el)?.id === 'phone');
      $(el, '#phone').dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
      await el.updateComplete;
      expect($(el, '#phone').getAttribute('aria-invalid')).to.equal('true');
      fill(el, { phone: '0712 345 679' });
      await el.updateComplete;
      expect($(el, '#phone').hasAttribute('aria-invalid')).to.equal(false);
      expect($(el, 'form [role="status"]').textContent).to.equal('');
    });

    it('maps a 422 onto the right fields, in Kiswahili, and focuses the first invalid field', async () => {
      stub = stubFetch(
        apiRoutes({
          sign: () =>
            problem('validation', 422, [
              { path: 'county', code: 'invalid_county' },
              { path: 'phone', code: 'invalid_phone' },
              { path: 'source', code: 'too_long' },
            ]),
        }),
      );
      const el = await petition({ lang: 'sw' });
      fillValid(el);
      const error = oneEvent(el, 'imlu-error') as Promise<ImluErrorEvent>;
      submit(el);
      expect((await error).detail).to.deep.equal({
        campaign: 'justice-for-survivors',
        type: 'urn:imlu:problem:validation',
        status: 422,
      });
      await settle();
      expect(focused(el)?.id).to.equal('phone');
      expect($(el, '#phone').getAttribute('aria-invalid')).to.equal('true');
      expect(describedText(el, 'phone')).to.equal('Kwa mfano 0712 345 678 | Weka nambari halali ya simu, kama 0712 345 678.');
      expect(describedText(el, 'county')).to.equal('Chagua mojawapo ya kaunti 47.');
      expect($(el, '#name').hasAttribute('aria-invalid')).to.equal(false);
      expect($(el, 'form [role="status"]').textContent).to.equal('Tafadhali rekebisha makosa 2 kwenye fomu.');
      await expect(el).to.be.accessible();

      // The messages follow a language switch; the field codes, not the texts, are what we keep.
      el.setAttribute('lang', 'en');
      await settle();
      expect(describedText(el, 'county')).to.equal('Choose one of the 47 counties.');
      expect($(el, 'form [role="status"]').textContent).to.equal('Please fix 2 problems in the form.');
    });

    it('maps contact_required and consent_required from the server', async () => {
      stub = stubFetch(
        apiRoutes({
          sign: () =>
            problem('validation', 422, [
              { path: 'email', code: 'contact_required' },
              { path: 'consent.terms', code: 'consent_required' },
            ]),
        }),
      );
      const el = await petition();
      fillValid(el);
      submit(el);
      await waitUntil(() => focused(el)?.id === 'phone');
      expect(describedText(el, 'email')).to.contain('Give a phone number or an e-mail address.');
      expect($(el, '#terms').getAttribute('aria-invalid')).to.equal('true');
    });
  });

  describe('signing', () => {
    it('POSTs the signature as JSON with an idempotency key, no credentials, and the source attribute', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition({ source: 'newsletter-march' });
      fillValid(el);
      fill(el, { email: 'wanjiru@example.org' });
      check(el, 'shareWithTargets');
      submit(el);
      await waitUntil(() => stub.callsTo('/signatures').length === 1);
      const [post] = stub.callsTo('/signatures');
      expect(post!.method).to.equal('POST');
      expect(post!.url).to.match(/\/v1\/campaigns\/justice-for-survivors\/signatures$/);
      expect(post!.credentials).to.equal('omit');
      expect(post!.headers.get('content-type')).to.equal('application/json');
      expect(post!.headers.get('idempotency-key')).to.match(UUID);
      const { elapsedMs, ...body } = post!.body as { elapsedMs: number };
      expect(elapsedMs).to.be.a('number').and.at.least(0);
      expect(body).to.deep.equal({
        website: '',
        name: 'Wanjirũ Kamau',
        phone: '0712 345 678',
        email: 'wanjiru@example.org',
        county: 'KE-30',
        consent: { terms: true, publicName: false, shareWithTargets: true, updates: false },
        comment: 'Because',
        locale: 'en',
        source: 'newsletter-march',
      });
    });

    it("prefers the page's ?source= and leaves out empty optional fields", async () => {
      history.replaceState(null, '', `${location.pathname}?source=radio-ad&utm=x`);
      stub = stubFetch(apiRoutes());
      const el = await petition({ source: 'attribute', lang: 'sw' });
      fill(el, { name: 'Otieno', email: 'otieno@example.org' });
      check(el, 'terms', 'publicName', 'updates');
      submit(el);
      await waitUntil(() => stub.callsTo('/signatures').length === 1);
      const { elapsedMs, ...body } = stub.callsTo('/signatures')[0]!.body as { elapsedMs: number };
      expect(elapsedMs).to.be.a('number');
      expect(body).to.deep.equal({
        website: '',
        name: 'Otieno',
        email: 'otieno@example.org',
        consent: { terms: true, publicName: true, shareWithTargets: false, updates: true },
        locale: 'sw',
        source: 'radio-ad',
      });
    });

    it('leaves out a ?source= holding a control character, which the API would refuse and the signer could not fix', async () => {
      history.replaceState(null, '', `${location.pathname}?source=radio%0Aad`);
      stub = stubFetch(apiRoutes());
      const el = await petition();
      fillValid(el);
      submit(el);
      await waitUntil(() => stub.callsTo('/signatures').length === 1);
      const body = stub.callsTo('/signatures')[0]!.body as Record<string, unknown>;
      expect(body.name).to.equal('Wanjirũ Kamau');
      expect(body).not.to.have.property('source');
    });

    it('disables the button and marks the form busy while submitting', async () => {
      const response = deferred<Response>();
      stub = stubFetch(apiRoutes({ sign: () => response.promise }));
      const el = await petition();
      fillValid(el);
      submit(el);
      await el.updateComplete;
      const button = $<HTMLButtonElement>(el, '[part="submit"]');
      expect(button.disabled).to.equal(true);
      expect(button.textContent!.trim()).to.equal('Sending…');
      expect($(el, 'form').getAttribute('aria-busy')).to.equal('true');
      await expect(el).to.be.accessible();
      submit(el); // a second click while busy sends nothing
      expect(stub.callsTo('/signatures')).to.have.length(1);
      response.resolve(json({ status: 'counted' }, 201));
      await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
    });

    it('thanks the signer, focuses the heading, fires imlu-signed without personal data, and offers a share link', async () => {
      history.replaceState(null, '', `${location.pathname}?source=partner-x&email=wanjiru%40example.org#sign`);
      stub = stubFetch(apiRoutes({ sign: () => json({ status: 'counted' }, 201) }));
      const el = await petition();
      fillValid(el);
      const signed = oneEvent(el, 'imlu-signed') as Promise<ImluSignedEvent>;
      submit(el);
      const event = await signed;
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail).to.deep.equal({ campaign: 'justice-for-survivors', status: 'counted' });
      for (const secret of PII) expect(JSON.stringify(event.detail)).not.to.contain(secret);
      // The counts are fetched again past the HTTP cache, so the signer sees the count move.
      await waitUntil(() => stub.callsTo('/counts').some((call) => call.cache === 'no-cache'));

      await settle();
      const heading = $(el, '#thanks-heading');
      expect(focused(el)).to.equal(heading);
      expect(heading.textContent).to.equal('Thank you for signing');
      expect($(el, '[part="thank-you"]').textContent).to.contain('Your signature has been counted.');
      expect(el.matches(':state(signed)')).to.equal(true);
      expect($(el, '[part="thank-you"] slot[name="thank-you"]').isConnected).to.equal(true);

      // Only ?source= survives in the share link, with the signer's language: no other parameter, no fragment.
      const link = $<HTMLInputElement>(el, '#share-link');
      expect(link.value).to.equal(`${location.origin}${location.pathname}?source=partner-x&lang=en`);
      let copied = '';
      const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: async (text: string) => void (copied = text) },
      });
      try {
        $<HTMLButtonElement>(el, '#share-link + button').click();
        await settle();
      } finally {
        delete (navigator as { clipboard?: unknown }).clipboard;
        if (clipboard) Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
      }
      expect(copied).to.equal(link.value);
      expect($(el, '[part="thank-you"] [role="status"]').textContent).to.equal('Link copied.');

      // A plain link to the API's manage-my-signature page, in the signer's language; no token, nothing personal.
      const manage = $<HTMLAnchorElement>(el, '[part="thank-you"] a[href*="/me?"]');
      expect(manage.getAttribute('href')).to.equal(`${el.api}/me?lang=en`);
      expect(manage.textContent).to.equal('See, withdraw or erase your signature later');

      // WhatsApp, X and Facebook: plain links to the same page URL, opening apart from the partner's page;
      // WhatsApp and X carry a message in the signer's language before it (Facebook takes a URL only).
      const shares = [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('[part="thank-you"] .row a')];
      const encoded = encodeURIComponent(link.value);
      const message = 'I have signed: Justice for survivors. Please sign too:';
      expect(shares.map((a) => [a.textContent, a.getAttribute('href')])).to.deep.equal([
        ['WhatsApp', `https://wa.me/?text=${encodeURIComponent(`${message} ${link.value}`)}`],
        ['X', `https://x.com/intent/post?text=${encodeURIComponent(message)}&url=${encoded}`],
        ['Facebook', `https://www.facebook.com/sharer.php?u=${encoded}`],
      ]);
      // 24 px targets at least (WCAG 2.5.8), also on a host whose root font size is 10 px (petition.theme.test.ts).
      for (const a of shares) expect(a.getBoundingClientRect().height).to.be.at.least(24);
      for (const a of shares) {
        expect([a.target, a.rel]).to.deep.equal(['_blank', 'noopener noreferrer']);
        for (const secret of [...PII, 'wanjiru', 'email', '#sign']) expect(decodeURIComponent(a.href)).not.to.contain(secret);
      }
      await expect(el).to.be.accessible();
    });

    it("offers the device's share sheet (Web Share API) only where there is one, with the same URL", async () => {
      history.replaceState(null, '', `${location.pathname}?source=partner-y&phone=0712345678`);
      const inherited = Object.getOwnPropertyDescriptor(Navigator.prototype, 'share');
      if (inherited) delete (Navigator.prototype as { share?: unknown }).share;
      try {
        stub = stubFetch(apiRoutes());
        const without = await petition();
        fillValid(without);
        submit(without);
        await waitUntil(() => without.shadowRoot!.querySelector('#thanks-heading'));
        expect([...without.shadowRoot!.querySelectorAll('[part="thank-you"] button')].map((b) => b.textContent!.trim())).to.deep.equal([
          'Copy link',
        ]);
        stub.restore();

        const shared: ShareData[] = [];
        Object.defineProperty(navigator, 'share', { configurable: true, value: async (data: ShareData) => void shared.push(data) });
        stub = stubFetch(apiRoutes());
        const el = await petition({ lang: 'sw' });
        fillValid(el);
        submit(el);
        await waitUntil(() => el.shadowRoot!.querySelector('#thanks-heading'));
        const button = $<HTMLButtonElement>(el, '[part="thank-you"] .row button');
        expect(button.textContent!.trim()).to.equal('Shiriki…');
        button.click();
        await settle();
        expect(shared).to.deep.equal([
          {
            text: 'Nimetia sahihi: Haki kwa manusura. Tafadhali nawe utie sahihi:',
            url: `${location.origin}${location.pathname}?source=partner-y&lang=sw`,
          },
        ]);
        await expect(el).to.be.accessible();
      } finally {
        delete (navigator as { share?: unknown }).share;
        if (inherited) Object.defineProperty(Navigator.prototype, 'share', inherited);
      }
    });

    it('speaks of a pledge, not a signature, in the thanks and the share message of a pledge campaign (en and sw)', async () => {
      const campaign = campaignFixture({ kind: 'pledge', title: { en: 'Stand with survivors', sw: 'Simama na manusura' } });
      for (const [lang, heading, share, message] of [
        ['en', 'Thank you for your pledge', 'Ask others to pledge', 'I have taken the pledge: Stand with survivors. Please take it too:'],
        ['sw', 'Asante kwa ahadi yako', 'Waombe wengine nao waweke ahadi', 'Nimeweka ahadi: Simama na manusura. Tafadhali nawe uweke ahadi:'],
      ] as const) {
        stub = stubFetch(apiRoutes({ campaign }));
        const el = await petition({ lang });
        fillValid(el);
        submit(el);
        await waitUntil(() => el.shadowRoot!.querySelector('#thanks-heading'));
        expect($(el, '#thanks-heading').textContent).to.equal(heading);
        expect($(el, '[part="thank-you"] h4').textContent).to.equal(share);
        const whatsapp = $<HTMLAnchorElement>(el, '[part="thank-you"] .row a');
        expect(decodeURIComponent(new URL(whatsapp.href).searchParams.get('text')!)).to.match(new RegExp(`^${message.replace(/[.?*+()]/g, '\\$&')} `));
        await expect(el).to.be.accessible();
        stub.restore();
        el.remove();
      }
    });

    it('asks the signer to confirm when the signature awaits verification', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition({ lang: 'sw' });
      fillValid(el);
      submit(el);
      await waitUntil(() => focused(el)?.id === 'thanks-heading');
      expect($(el, '#thanks-heading').textContent).to.equal('Asante kwa kutia sahihi');
      expect($(el, '[part="thank-you"]').textContent).to.contain('Tumekutumia ujumbe');
      expect(el.matches(':state(signed)')).to.equal(true);
    });

    describe('on a network failure', () => {
      /** The component's resend timers, held for the test to fire; every other timer (waitUntil, counts) runs as usual. */
      let timers: { delay: number; run: () => void; cancelled: boolean }[];
      let originalSetTimeout: typeof window.setTimeout;
      let originalClearTimeout: typeof window.clearTimeout;
      const FAKE_ID = 1_000_000;
      beforeEach(() => {
        timers = [];
        [originalSetTimeout, originalClearTimeout] = [window.setTimeout, window.clearTimeout];
        window.setTimeout = ((handler: () => void, delay = 0, ...rest: unknown[]) => {
          if (!new Error().stack?.includes('signing')) return originalSetTimeout(handler, delay, ...rest);
          return FAKE_ID + timers.push({ delay, run: handler, cancelled: false }) - 1;
        }) as typeof window.setTimeout;
        window.clearTimeout = (id) => {
          const timer = typeof id === 'number' ? timers[id - FAKE_ID] : undefined;
          if (timer) timer.cancelled = true;
          else originalClearTimeout(id);
        };
      });
      afterEach(() => {
        [window.setTimeout, window.clearTimeout] = [originalSetTimeout, originalClearTimeout];
      });

      const offline = () => Promise.reject(new TypeError('Failed to fetch'));

      it('keeps the signature, says so, and resends it with the SAME key on "Send now"', async () => {
        let attempts = 0;
        stub = stubFetch(apiRoutes({ sign: () => (++attempts === 1 ? offline() : json({ status: 'pending_verification' }, 202)) }));
        const el = await petition();
        fillValid(el);
        const error = oneEvent(el, 'imlu-error') as Promise<ImluErrorEvent>;
        submit(el);
        expect((await error).detail).to.deep.equal({ campaign: 'justice-for-survivors', type: 'network', status: 0 });
        await waitUntil(() => focused(el)?.id === 'retry-now');
        expect($(el, 'form [role="status"]').textContent).to.contain('No connection. Your signature is saved; we will resend it in 2 s.');
        expect($<HTMLButtonElement>(el, '[part="submit"]').disabled).to.equal(true);
        expect(timers.map((timer) => timer.delay)).to.deep.equal([2000]);
        await expect(el).to.be.accessible();

        $<HTMLButtonElement>(el, '#retry-now').click();
        await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
        const [first, second, third] = stub.callsTo('/signatures');
        expect(third).to.equal(undefined);
        expect(second!.headers.get('idempotency-key')).to.equal(first!.headers.get('idempotency-key'));
        expect(second!.body).to.deep.equal(first!.body);
        // The manual resend cancelled the automatic one.
        expect(timers.map((timer) => timer.cancelled)).to.deep.equal([true]);
      });

      it('resends automatically with growing delays, then offers "Try again", never with a new key', async () => {
        let online = false;
        stub = stubFetch(apiRoutes({ sign: () => (online ? json({ status: 'counted' }, 201) : offline()) }));
        const el = await petition({ lang: 'sw' });
        fillValid(el);
        submit(el);
        for (let attempt = 1; attempt <= 5; attempt++) {
          await waitUntil(() => timers.length === attempt && el.shadowRoot!.querySelector('#retry-now'));
          expect($(el, 'form [role="status"]').textContent).to.contain('Hakuna muunganisho');
          if (attempt === 1) await expect(el).to.be.accessible();
          timers[attempt - 1]!.run();
        }
        await waitUntil(() => focused(el)?.id === 'retry');
        expect(timers.map((timer) => timer.delay)).to.deep.equal([2000, 5000, 10_000, 20_000, 30_000]);
        expect($(el, 'form [role="alert"]').textContent).to.contain('Hatukuweza kufikia seva');
        expect(stub.callsTo('/signatures')).to.have.length(6);

        online = true;
        $<HTMLButtonElement>(el, '#retry').click();
        await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
        const keys = new Set(stub.callsTo('/signatures').map((call) => call.headers.get('idempotency-key')));
        expect(keys.size).to.equal(1);
        expect(stub.callsTo('/signatures')).to.have.length(7);
      });

      it('stops resending when the element leaves the page', async () => {
        stub = stubFetch(apiRoutes({ sign: offline }));
        const el = await petition();
        fillValid(el);
        submit(el);
        await waitUntil(() => timers.length === 1);
        expect(timers[0]!.cancelled).to.equal(false);
        el.remove();
        expect(timers[0]!.cancelled).to.equal(true);
      });
    });

    it('shows a general error with retry on a 5xx, and uses a new key once the signer changes the form', async () => {
      let attempts = 0;
      stub = stubFetch(apiRoutes({ sign: () => (++attempts < 3 ? problem('internal', 500) : json({ status: 'counted' }, 201)) }));
      const el = await petition({ lang: 'sw' });
      fillValid(el);
      submit(el);
      await waitUntil(() => focused(el)?.id === 'retry');
      expect($(el, 'form [role="alert"]').textContent).to.contain('Hitilafu imetokea upande wetu');
      expect($(el, '#retry').textContent).to.equal('Jaribu tena');
      await expect(el).to.be.accessible();

      fill(el, { name: 'Wanjirũ W. Kamau' });
      submit(el);
      await waitUntil(() => stub.callsTo('/signatures').length === 2);
      await waitUntil(() => el.shadowRoot!.querySelector('#retry'));
      $<HTMLButtonElement>(el, '#retry').click();
      await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
      const keys = stub.callsTo('/signatures').map((call) => call.headers.get('idempotency-key'));
      expect(keys[0]).not.to.equal(keys[1]);
      expect(keys[2]).to.equal(keys[1]);
    });

    it('explains rate limiting and forbidden origins in plain words', async () => {
      const answers = [problem('rate-limited', 429), problem('forbidden-origin', 403)];
      stub = stubFetch(apiRoutes({ sign: () => answers.shift()! }));
      const el = await petition();
      fillValid(el);
      submit(el);
      await waitUntil(() => focused(el)?.id === 'retry');
      expect($(el, 'form [role="alert"]').textContent).to.contain('Too many attempts');
      $<HTMLButtonElement>(el, '#retry').click();
      await waitUntil(() => el.shadowRoot!.querySelector('form [role="alert"]')?.textContent?.includes('from this website'));
    });

    it('switches to the closed message when the campaign closed meanwhile (409)', async () => {
      stub = stubFetch(apiRoutes({ sign: () => problem('campaign-closed', 409) }));
      const el = await petition();
      fillValid(el);
      submit(el);
      await waitUntil(() => focused(el)?.id === 'closed-heading');
      expect(el.shadowRoot!.querySelector('form')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('fires no event when a property is set by code', async () => {
      stub = stubFetch(apiRoutes());
      const el = await petition();
      const events: Event[] = [];
      el.addEventListener('imlu-signed', (event) => events.push(event));
      el.addEventListener('imlu-error', (event) => events.push(event));
      el.source = 'changed';
      el.setAttribute('lang', 'sw');
      await settle();
      expect(events).to.deep.equal([]);
    });
  });
});
