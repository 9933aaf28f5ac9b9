/**
 * A pledge campaign's actions in `<imlu-petition>` (issue 16): the fieldset with each action's date in
 * Nairobi time, place and places left, "remind me" only with a dated action chosen, what the request
 * carries, the API's field errors on the fieldset in the signer's language, the thanks naming the pledge,
 * and the chunk: loaded for a pledge with actions only, before its form shows.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { Campaign, PledgeAction, PledgeFigures } from '@imlu/contracts';
import '../imlu-petition.ts';
import { lazy, type ImluPetition } from './petition.component.ts';
import { apiRoutes, campaignFixture, countsFixture, json, problem, settle, stubFetch, uniqueApi, type FetchStub, type Route } from '../testing/fixtures.ts';

const ACTIONS: PledgeAction[] = [
  {
    id: 'act-march',
    position: 3,
    title: { en: 'March to Parliament', sw: 'Andamana hadi Bungeni' },
    place: null,
    county: 'KE-30',
    startsAt: '2099-01-20T07:30:00.000Z',
    capacity: 50,
  },
  {
    id: 'act-hearing',
    position: 1,
    title: { en: 'Attend the hearing', sw: 'Hudhuria kikao cha mahakama' },
    place: { en: 'Milimani Law Courts', sw: 'Mahakama ya Milimani' },
    county: 'KE-30',
    // 09:00 in Nairobi (UTC+3), whatever the browser's time zone.
    startsAt: '2099-01-12T06:00:00.000Z',
    capacity: 200,
  },
  {
    id: 'act-write',
    position: 2,
    title: { en: 'Write to your MCA', sw: 'Mwandikie MCA wako' },
    place: null,
    county: null,
    startsAt: null,
    capacity: null,
  },
];

const figures = (id: string, position: number, placesLeft: number | null): PledgeFigures => ({
  id,
  position,
  pledged: 10,
  reminded: 0,
  kept: 0,
  cant: 0,
  placesLeft,
});

const FIGURES = [figures('act-hearing', 1, 12), figures('act-write', 2, null), figures('act-march', 3, 0)];

function pledgeCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return campaignFixture({ kind: 'pledge', actions: ACTIONS, counts: countsFixture({ actions: FIGURES }), ...overrides });
}

const $ = <T extends HTMLElement = HTMLElement>(el: ImluPetition, selector: string): T => {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in <imlu-petition>`);
  return found;
};
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const boxes = (el: ImluPetition) => [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="actions"]')];
const box = (el: ImluPetition, id: string) => $<HTMLInputElement>(el, `input[name="actions"][value="${id}"]`);
const info = (el: ImluPetition, id: string) => text($(el, `#${box(el, id).getAttribute('aria-describedby')}`));
const focused = (el: ImluPetition) => el.shadowRoot!.activeElement;

let stub: FetchStub;

async function petition(route: Route = apiRoutes({ campaign: pledgeCampaign() }), lang = 'en'): Promise<ImluPetition> {
  stub = stubFetch(route);
  const el = await fixture<ImluPetition>(html`<imlu-petition lang=${lang} campaign="hearing" api=${uniqueApi()}></imlu-petition>`);
  await waitUntil(() => el.shadowRoot!.querySelector('form'), 'the form did not show');
  return el;
}

function fillValid(el: ImluPetition): void {
  for (const [id, value] of Object.entries({ name: 'Achieng Otieno', phone: '0712 345 678' })) {
    const input = $<HTMLInputElement>(el, `#${id}`);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
  $<HTMLInputElement>(el, '#terms').checked = true;
}

function check(el: ImluPetition, id: string, on = true): void {
  const input = id === 'remind' ? $<HTMLInputElement>(el, '#remind') : box(el, id);
  input.checked = on;
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

const submit = (el: ImluPetition) => $<HTMLButtonElement>(el, '[part="submit"]').click();
const sent = () => stub.callsTo('/signatures').map((call) => call.body as { actions?: string[]; remind?: boolean; locale: string });

describe('<imlu-petition> pledge actions', () => {
  afterEach(() => stub?.restore());

  it('[axe] shows each action with its date in Nairobi time, place and places left, in order, the full one disabled and said in words', async () => {
    const el = await petition();
    const fieldset = boxes(el)[0]!.closest('fieldset')!;
    expect(text(fieldset.querySelector('legend')!)).to.equal('What will you do?');
    expect(boxes(el).map((input) => input.value)).to.deep.equal(['act-hearing', 'act-write', 'act-march']);
    expect(boxes(el).map((input) => text(el.shadowRoot!.querySelector(`label[for="${input.id}"]`)!))).to.deep.equal([
      'Attend the hearing',
      'Write to your MCA',
      'March to Parliament',
    ]);
    expect(info(el, 'act-hearing')).to.equal('Monday, 12 January 2099 at 09:00 · Milimani Law Courts · 12 places left');
    // No place in words: the county's name instead; no capacity figures: nothing about places.
    expect(info(el, 'act-march')).to.equal('Tuesday, 20 January 2099 at 10:30 · Nairobi · Full: no places left');
    expect(box(el, 'act-write').hasAttribute('aria-describedby')).to.equal(false);
    expect(box(el, 'act-march').disabled).to.equal(true);
    expect(box(el, 'act-hearing').disabled).to.equal(false);
    // The first enabled checkbox carries the id the error focus goes to.
    expect(box(el, 'act-hearing').id).to.equal('actions');
    // The actions come before the signer's details.
    expect(fieldset.compareDocumentPosition($(el, '#name')) & Node.DOCUMENT_POSITION_FOLLOWING).to.be.greaterThan(0);
    expect($(el, '[part="submit"]').textContent!.trim()).to.equal('Take the pledge');
    // A pledge counts pledges, and asks why one takes it, not why one signs.
    expect(text($(el, '[part="counter"]'))).to.match(/ pledges?$/);
    expect(text($(el, 'label[for="comment"]'))).to.contain('Why are you taking this pledge?');
    await expect(el).to.be.accessible();
  });

  it('[axe] says it all in Kiswahili', async () => {
    const el = await petition(undefined, 'sw');
    expect(text(boxes(el)[0]!.closest('fieldset')!.querySelector('legend')!)).to.equal('Utafanya nini?');
    expect(info(el, 'act-hearing')).to.equal('Jumatatu, 12 Januari 2099 saa 09:00 · Mahakama ya Milimani · Nafasi 12 zimebaki');
    expect(info(el, 'act-march')).to.contain('Imejaa: hakuna nafasi iliyobaki');
    expect(text($(el, 'label[for="remind"]'))).to.equal('Nikumbushe siku moja kabla na siku yenyewe');
    expect(text($(el, '[part="counter"]'))).to.match(/^Ahadi /);
    expect(text($(el, 'label[for="comment"]'))).to.contain('Kwa nini unaweka ahadi hii?');
    check(el, 'act-hearing');
    await expect(el).to.be.accessible();
  });

  it('[axe] shows an action that has begun but does not offer it, in words, in both languages', async () => {
    const begun = ACTIONS.map((a) => (a.id === 'act-hearing' ? { ...a, startsAt: new Date(Date.now() - 3_600_000).toISOString() } : a));
    const el = await petition(apiRoutes({ campaign: pledgeCampaign({ actions: begun }) }));
    expect(box(el, 'act-hearing').disabled).to.equal(true);
    expect(info(el, 'act-hearing')).to.match(/ · Already taken place$/);
    // The first action that can be chosen takes the id the error focus goes to.
    expect(box(el, 'act-write').id).to.equal('actions');
    await expect(el).to.be.accessible();
    stub.restore();
    const sw = await petition(apiRoutes({ campaign: pledgeCampaign({ actions: begun }) }), 'sw');
    expect(info(sw, 'act-hearing')).to.match(/ · Kimeshafanyika$/);
  });

  it('shows no places when the counts carry no figures for the actions', async () => {
    const el = await petition(apiRoutes({ campaign: pledgeCampaign({ counts: countsFixture() }) }));
    expect(info(el, 'act-hearing')).to.equal('Monday, 12 January 2099 at 09:00 · Milimani Law Courts');
    expect(box(el, 'act-march').disabled).to.equal(false);
  });

  it('offers "remind me" only while a dated action is chosen', async () => {
    const el = await petition();
    const remind = $(el, '#remind').closest('.check') as HTMLElement;
    expect(remind.checkVisibility(), 'nothing chosen').to.equal(false);
    check(el, 'act-write');
    expect(remind.checkVisibility(), 'only an action without a date').to.equal(false);
    check(el, 'act-hearing');
    expect(remind.checkVisibility(), 'a dated action').to.equal(true);
    check(el, 'act-hearing', false);
    expect(remind.checkVisibility()).to.equal(false);
  });

  it('has no "remind me" when no action has a date', async () => {
    const el = await petition(apiRoutes({ campaign: pledgeCampaign({ actions: [ACTIONS[2]!] }) }));
    expect(el.shadowRoot!.querySelector('#remind')).to.equal(null);
    expect(boxes(el)).to.have.length(1);
  });

  it('sends the actions chosen and the reminder choice with the signature', async () => {
    const el = await petition(apiRoutes({ campaign: pledgeCampaign(), sign: () => json({ status: 'counted' }, 201) }));
    fillValid(el);
    check(el, 'act-write');
    check(el, 'act-hearing');
    check(el, 'remind');
    submit(el);
    await waitUntil(() => sent().length === 1);
    expect(sent()[0]).to.include({ remind: true, locale: 'en' });
    expect(sent()[0]!.actions).to.deep.equal(['act-hearing', 'act-write']);
  });

  it('does not ask for reminders of an action without a date, even if the box was ticked before', async () => {
    const el = await petition();
    fillValid(el);
    check(el, 'act-hearing');
    check(el, 'remind');
    check(el, 'act-hearing', false);
    check(el, 'act-write');
    submit(el);
    await waitUntil(() => sent().length === 1);
    expect(sent()[0]).to.deep.include({ actions: ['act-write'], remind: false });
  });

  it('[axe] says that an action must be chosen before sending anything, on the fieldset, and takes the focus there', async () => {
    const el = await petition();
    fillValid(el);
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector('#actions-error'));
    expect(text($(el, '#actions-error'))).to.equal('Choose at least one action to pledge.');
    expect(boxes(el)[0]!.closest('fieldset')!.getAttribute('aria-describedby')).to.equal('pledge-hint actions-error');
    expect(box(el, 'act-hearing').getAttribute('aria-invalid')).to.equal('true');
    await waitUntil(() => focused(el)?.id === 'actions', 'the focus goes to the first action');
    expect(sent()).to.have.length(0);
    await expect(el).to.be.accessible();
    // Choosing one clears it at once.
    check(el, 'act-write');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#actions-error')).to.equal(null);
  });

  for (const [code, lang, message] of [
    ['action_full', 'en', 'An action you chose has no places left. Choose another.'],
    ['action_full', 'sw', 'Kitendo ulichochagua hakina nafasi zilizobaki. Chagua kingine.'],
    ['invalid_action', 'en', 'One of these actions is no longer part of this campaign. Reload the page and choose again.'],
    ['invalid_action', 'sw', 'Kimojawapo cha vitendo hivi si sehemu ya kampeni hii tena. Pakia ukurasa upya kisha uchague tena.'],
    ['actions_required', 'sw', 'Chagua angalau kitendo kimoja cha kuahidi.'],
  ] as const) {
    it(`shows the API's ${code} on the actions in ${lang === 'en' ? 'English' : 'Kiswahili'}`, async () => {
      const el = await petition(apiRoutes({ campaign: pledgeCampaign(), sign: () => problem('validation', 422, [{ path: 'actions.0', code }]) }), lang);
      fillValid(el);
      check(el, 'act-hearing');
      submit(el);
      await waitUntil(() => el.shadowRoot!.querySelector('#actions-error'));
      expect(text($(el, '#actions-error'))).to.equal(message);
      await waitUntil(() => focused(el)?.id === 'actions');
      expect(sent()).to.have.length(1);
    });
  }

  it('[axe] names what was pledged in the thanks', async () => {
    for (const [lang, heading, line] of [
      ['en', 'You pledged to:', 'Attend the hearing · Monday, 12 January 2099 at 09:00 · Milimani Law Courts'],
      ['sw', 'Umeahidi:', 'Hudhuria kikao cha mahakama · Jumatatu, 12 Januari 2099 saa 09:00 · Mahakama ya Milimani'],
    ] as const) {
      const el = await petition(apiRoutes({ campaign: pledgeCampaign(), sign: () => json({ status: 'counted' }, 201) }), lang);
      fillValid(el);
      check(el, 'act-hearing');
      check(el, 'act-write');
      submit(el);
      await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
      const thanks = $(el, '[part="thank-you"]');
      expect(text(thanks)).to.contain(heading);
      expect([...thanks.querySelectorAll('li')].map(text)).to.deep.equal([line, lang === 'en' ? 'Write to your MCA' : 'Mwandikie MCA wako']);
      await expect(el).to.be.accessible();
      stub.restore();
    }
  });

  it('shows the actions in the SMS code step, and puts them back with "Change my details"', async () => {
    const el = await petition(
      apiRoutes({ campaign: pledgeCampaign(), sign: () => json({ status: 'pending_verification', confirmation: { channel: 'sms', handle: 'v1.h' } }, 202) }),
    );
    fillValid(el);
    check(el, 'act-hearing');
    check(el, 'remind');
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector('#change-details'));
    // The code step shows what is being confirmed, the pledge included.
    expect(text($(el, '#code-heading').closest('section')!)).to.contain('You pledged to: Attend the hearing · Monday, 12 January 2099 at 09:00');
    $(el, '#change-details').click();
    await waitUntil(() => el.shadowRoot!.querySelector('form[part="form"]'));
    await settle();
    expect(boxes(el).filter((input) => input.checked).map((input) => input.value)).to.deep.equal(['act-hearing']);
    expect($<HTMLInputElement>(el, '#remind').checked).to.equal(true);
    expect(($(el, '#remind').closest('.check') as HTMLElement).checkVisibility()).to.equal(true);
  });

  it('can be used with the keyboard alone: Tab to an action, Space to choose it', async () => {
    const el = await petition();
    $(el, '#actions').focus();
    await sendKeys({ press: 'Space' });
    expect(box(el, 'act-hearing').checked).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(box(el, 'act-write'));
    // The full action is skipped: disabled, it takes no focus.
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.id).to.equal('remind');
  });

  it('fits a 360 px screen with 24 px targets', async () => {
    await setViewport({ width: 360, height: 640 });
    try {
      const el = await petition();
      check(el, 'act-hearing');
      for (const input of [...boxes(el), $<HTMLInputElement>(el, '#remind')]) {
        const { width, height } = input.getBoundingClientRect();
        expect([width, height], input.id).to.deep.equal([24, 24]);
      }
      const fieldset = boxes(el)[0]!.closest('fieldset')!;
      expect(fieldset.scrollWidth).to.be.at.most(fieldset.clientWidth);
      expect(el.getBoundingClientRect().width).to.be.at.most(360);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});

describe('<imlu-petition> pledge actions chunk', () => {
  let original: typeof lazy.pledge;
  let loads: number;
  beforeEach(() => {
    original = lazy.pledge;
    loads = 0;
    lazy.pledge = () => (loads++, original());
  });
  afterEach(() => {
    lazy.pledge = original;
    stub?.restore();
  });

  it('is not loaded for a petition, nor for a pledge without actions', async () => {
    await petition(apiRoutes());
    await petition(apiRoutes({ campaign: pledgeCampaign({ actions: [] }) }));
    expect(loads).to.equal(0);
  });

  it('is loaded as soon as the campaign is known, once, and the form waits for it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    lazy.pledge = () => (loads++, held.then(original));
    stub = stubFetch(apiRoutes({ campaign: pledgeCampaign() }));
    const el = await fixture<ImluPetition>(html`<imlu-petition campaign="hearing" api=${uniqueApi()}></imlu-petition>`);
    await waitUntil(() => el.shadowRoot!.querySelector('h2'), 'the campaign shows');
    await settle();
    expect(loads).to.equal(1);
    expect(el.shadowRoot!.querySelector('form'), 'no form without its actions').to.equal(null);
    expect(el.shadowRoot!.querySelector('.reserve'), 'the space stays reserved').not.to.equal(null);
    release();
    await waitUntil(() => el.shadowRoot!.querySelector('form'));
    expect(boxes(el)).to.have.length(3);
    expect(loads).to.equal(1);
  });

  it('[axe] says the petition could not load when the chunk cannot, and "Try again" loads it', async () => {
    let fail = true;
    lazy.pledge = () => (loads++, fail ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : original());
    stub = stubFetch(apiRoutes({ campaign: pledgeCampaign() }));
    const el = await fixture<ImluPetition>(html`<imlu-petition lang="sw" campaign="hearing" api=${uniqueApi()}></imlu-petition>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'), 'the load error shows');
    expect(el.shadowRoot!.querySelector('form')).to.equal(null);
    await expect(el).to.be.accessible();
    fail = false;
    $<HTMLButtonElement>(el, '[role="alert"] button').click();
    await waitUntil(() => el.shadowRoot!.querySelector('form'));
    expect(boxes(el)).to.have.length(3);
    expect(loads).to.equal(2);
  });
});
