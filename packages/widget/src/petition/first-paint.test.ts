import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../imlu-petition.ts';
import type { Campaign } from '@imlu/contracts';
import { apiRoutes, campaignFixture, stubFetch, uniqueApi, type FetchStub } from '../testing/fixtures.ts';
import { ImluPetition, lazy } from './petition.component.ts';

/**
 * The element taking over a first paint (src/embed.ts puts the API's paint in an undefined element's shadow
 * root; the element's code arrives later). Here the paint is the element's own render of the same campaign
 * (the API renders the same template on the server: api/src/campaigns/campaigns.test.ts), and "arrives
 * later" is a subclass defined under a new tag after the paint is in place, as embed.js's import does.
 */
let sequence = 0;

async function paintOf(api: string, lang: string, campaign: Campaign = campaignFixture()): Promise<{ markup: string; campaign: string }> {
  const rendered = await fixture<ImluPetition>(
    html`<imlu-petition campaign="justice-for-survivors" api=${api} lang=${lang}></imlu-petition>`,
  );
  await waitUntil(() => rendered.shadowRoot!.querySelector('form'), 'petition did not render its form');
  const styles = (ImluPetition.elementStyles as CSSStyleSheet[] | { cssText: string }[]).map((s) => (s as { cssText: string }).cssText).join('');
  const { body: _body, targets: _targets, ...form } = campaign;
  const markup = `<style>${styles}</style>${rendered.shadowRoot!.innerHTML}`;
  rendered.remove();
  return { markup, campaign: JSON.stringify(form) };
}

/** An undefined petition with `markup` painted in its shadow root, in the page; `define()` brings its code. */
async function painted(api: string, { markup, campaign }: { markup: string; campaign: string }, lang = 'en') {
  const tag = `imlu-petition-adopts-${++sequence}`;
  const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 400px"></div>`);
  const el = document.createElement(tag) as ImluPetition & { imluTouchedAt?: number; imluSubmit?: boolean; imluCampaign?: string };
  el.imluCampaign = campaign;
  el.setAttribute('campaign', 'justice-for-survivors');
  el.setAttribute('api', api);
  el.setAttribute('lang', lang);
  el.attachShadow({ mode: 'open' }).innerHTML = markup;
  wrapper.append(el);
  const define = async () => {
    customElements.define(tag, class extends ImluPetition {});
    await el.updateComplete;
  };
  return { el, define, $: <T extends Element>(selector: string) => el.shadowRoot!.querySelector<T>(selector)! };
}

describe('<imlu-petition> taking over its first paint', () => {
  let stub: FetchStub;
  afterEach(() => stub?.restore());

  it('keeps what the signer typed, ticked and opened, the focus and the caret, and the same layout', async () => {
    const api = uniqueApi();
    stub = stubFetch(apiRoutes());
    const { el, define, $ } = await painted(api, await paintOf(api, 'sw'), 'sw');
    const before = el.getBoundingClientRect().height;
    $<HTMLInputElement>('#name').value = 'Wanjirũ Kamau';
    $<HTMLInputElement>('#phone').value = '0712 345 678';
    $<HTMLSelectElement>('#county').value = 'KE-30';
    $<HTMLTextAreaElement>('#comment').value = 'Kwa sababu';
    $<HTMLInputElement>('#terms').checked = true;
    $<HTMLDetailsElement>('details').open = true;
    const name = $<HTMLInputElement>('#name');
    name.focus();
    name.setSelectionRange(3, 5);
    const openedHeight = el.getBoundingClientRect().height;
    el.imluTouchedAt = performance.now();
    const requestsBefore = stub.calls.length;

    await define();
    // One form, the element's own (the paint is gone), with everything the signer did.
    expect(el.shadowRoot!.querySelectorAll('form')).to.have.length(1);
    expect($<HTMLInputElement>('#name')).not.to.equal(name);
    expect($<HTMLInputElement>('#name').value).to.equal('Wanjirũ Kamau');
    expect($<HTMLInputElement>('#phone').value).to.equal('0712 345 678');
    expect($<HTMLSelectElement>('#county').value).to.equal('KE-30');
    expect($<HTMLTextAreaElement>('#comment').value).to.equal('Kwa sababu');
    expect($<HTMLInputElement>('#terms').checked).to.equal(true);
    expect($<HTMLDetailsElement>('details').open).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal($('#name'));
    expect([$<HTMLInputElement>('#name').selectionStart, $<HTMLInputElement>('#name').selectionEnd]).to.deep.equal([3, 5]);
    expect(el.getBoundingClientRect().height).to.equal(openedHeight);
    expect(openedHeight).to.be.greaterThan(before);
    // The character count follows the comment the signer typed before.
    expect($('#comment-count').textContent).to.contain('10');
    // The campaign came with the paint: not asked for again.
    expect(stub.calls.slice(requestsBefore).filter((call) => call.url.endsWith('/form'))).to.have.length(0);
    expect($('h2').textContent).to.equal('Haki kwa manusura');
  });

  it('keeps the focus on an element without an id (the demands, by keyboard)', async () => {
    const api = uniqueApi();
    stub = stubFetch(apiRoutes());
    const { el, define, $ } = await painted(api, await paintOf(api, 'en'));
    $<HTMLElement>('summary').focus();
    await define();
    expect(el.shadowRoot!.activeElement).to.equal($('summary'));
    expect(el.shadowRoot!.querySelectorAll('summary')).to.have.length(1);
  });

  it('sends the signature the signer submitted before its code arrived', async () => {
    const api = uniqueApi();
    stub = stubFetch(apiRoutes());
    const { el, define, $ } = await painted(api, await paintOf(api, 'en'));
    $<HTMLInputElement>('#name').value = 'Wanjirũ Kamau';
    $<HTMLInputElement>('#phone').value = '0712 345 678';
    $<HTMLInputElement>('#terms').checked = true;
    el.imluTouchedAt = performance.now() - 20_000;
    el.imluSubmit = true;
    await define();
    await waitUntil(() => stub.calls.some((call) => call.url.endsWith('/signatures')), 'the signature was not sent');
    const sent = stub.calls.find((call) => call.url.endsWith("/signatures"))!.body as Record<string, unknown>;
    expect(sent).to.include({ name: 'Wanjirũ Kamau', phone: '0712 345 678' });
    // The fill time counts from the first touch of the paint, not from the code's arrival.
    expect(sent['elapsedMs']).to.be.greaterThan(19_000);
  });

  it("keeps a pledge's ticked actions and reminder, its first render waiting for the actions' chunk", async () => {
    const api = uniqueApi();
    const pledge = campaignFixture({
      kind: 'pledge',
      actions: [
        { id: 'act-hearing', position: 1, title: { en: 'Attend the hearing', sw: 'Hudhuria kikao' }, place: null, county: 'KE-30', startsAt: '2099-01-12T06:00:00.000Z', capacity: 200 },
        { id: 'act-write', position: 2, title: { en: 'Write to your MCA', sw: 'Mwandikie MCA wako' }, place: null, county: null, startsAt: null, capacity: null },
      ],
    });
    stub = stubFetch(apiRoutes({ campaign: pledge }));
    const paint = await paintOf(api, 'sw', pledge);
    const { el, define, $ } = await painted(api, paint, 'sw');
    $<HTMLInputElement>('#actions').checked = true;
    $<HTMLInputElement>('#remind').checked = true;
    $<HTMLInputElement>('#action-2').focus();
    // As on a page where the actions' chunk has not come yet: the element asks for it and waits.
    const loaded = lazy.pledgeLoaded;
    lazy.pledgeLoaded = undefined;
    try {
      await define();
    } finally {
      lazy.pledgeLoaded ??= loaded;
    }
    expect(el.shadowRoot!.querySelectorAll('form')).to.have.length(1);
    expect($<HTMLInputElement>('#actions').checked).to.equal(true);
    expect($<HTMLInputElement>('#action-2').checked).to.equal(false);
    expect($<HTMLInputElement>('#remind').checked).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal($('#action-2'));
    expect($('fieldset legend').textContent).to.equal('Utafanya nini?');
  });

  it('renders itself as before when the paint is of another campaign', async () => {
    const api = uniqueApi();
    stub = stubFetch(apiRoutes());
    const paint = await paintOf(api, 'en');
    const { el, define } = await painted(api, { ...paint, campaign: paint.campaign.replace('"slug":"justice-for-survivors"', '"slug":"another-one"') });
    await define();
    await waitUntil(() => stub.calls.some((call) => call.url.endsWith('/justice-for-survivors/form')), 'the campaign was not loaded');
    await waitUntil(() => el.shadowRoot!.querySelectorAll('form').length === 1, 'no form');
  });
});
