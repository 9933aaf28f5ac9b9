import type { BoardPledge } from '@imlu/contracts';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../imlu-accountability.ts';
import { ImluErrorEvent } from '../events.ts';
import { accountabilityFixture } from '../testing/accountability-fixtures.ts';
import { installClock, setHidden } from '../testing/clock.ts';
import { json, problem, settle, stubFetch, uniqueApi, type FetchStub, type Route } from '../testing/fixtures.ts';
import { ACCOUNTABILITY_INTERVAL_MS, lazy, type ImluAccountability } from './accountability.component.ts';
import { safeHref } from './history.ts';

const $ = <T extends Element = HTMLElement>(el: ImluAccountability, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends HTMLElement = HTMLElement>(el: ImluAccountability, selector: string) =>
  [...el.shadowRoot!.querySelectorAll<T>(selector)];
const text = (node: Element | null) => node!.textContent!.replace(/\s+/g, ' ').trim();

let stub: FetchStub | undefined;

async function mount(route: Route = () => json(accountabilityFixture()), attrs: { lang?: string; status?: string } = {}) {
  stub = stubFetch(route);
  const el = await fixture<ImluAccountability>(
    html`<imlu-accountability
      campaign="justice-for-survivors"
      api=${uniqueApi()}
      lang=${attrs.lang ?? 'en'}
      status=${attrs.status ?? ''}
    ></imlu-accountability>`,
  );
  // settle(), not waitUntil(): the refresh tests replace setTimeout.
  await settle();
  await el.updateComplete;
  return el;
}

/** The text of each duty bearer in the list, by name. */
const shownNames = (el: ImluAccountability) => $$(el, '[part="target"] h3').map((h) => h.textContent);

/** Opens every history and waits for its chunk to render the entries. */
async function openHistories(el: ImluAccountability): Promise<HTMLDetailsElement[]> {
  const details = $$<HTMLDetailsElement>(el, 'details');
  for (const each of details) each.open = true;
  await waitUntil(() => details.every((each) => each.querySelector('time')), 'the history chunk renders the entries');
  return details;
}

async function choose(el: ImluAccountability, value: string): Promise<void> {
  const select = $<HTMLSelectElement>(el, '[part="filter"]')!;
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await el.updateComplete;
}

describe('<imlu-accountability>', () => {
  afterEach(() => stub?.restore());

  it('[axe] is accessible loaded, and fetches the record without credentials', async () => {
    const el = await mount();
    await expect(el).to.be.accessible();
    expect(stub!.calls).to.have.length(1);
    expect(stub!.calls[0]!.url).to.match(/^https:\/\/api-\d+\.imlu\.test\/v1\/campaigns\/justice-for-survivors\/accountability$/);
    expect(stub!.calls[0]!.credentials).to.equal('omit');
    expect(stub!.calls[0]!.method).to.equal('GET');
  });

  it('shows the summary counters in a polite live region, in English and in Kiswahili', async () => {
    const el = await mount();
    const summary = $(el, '[part="summary"]')!;
    expect(summary.getAttribute('role')).to.equal('status');
    expect(text(summary)).to.equal('1 of 4 committed · 1 delivered · 2 overdue');

    stub!.restore();
    const sw = await mount(undefined, { lang: 'sw' });
    expect(text($(sw, '[part="summary"]'))).to.equal('Wameahidi: 1 kati ya 4 · Wametekeleza: 1 · Wamechelewa: 2');
  });

  it('lists each duty bearer with office, institution and jurisdiction, and a worded badge per demand', async () => {
    const el = await mount();
    expect(shownNames(el)).to.deep.equal(['Wanjiku Mwangi', 'Amina Otieno', 'Kiprono Chebet', 'Lokwang Ekai']);
    const [dpp, governor, ig, pokot] = $$(el, '[part="target"]');
    expect(text(dpp!.querySelector('.muted'))).to.equal('DPP · ODPP · National');
    expect(text(governor!.querySelector('.muted'))).to.equal('Kaunti ya Jiji la Nairobi · Nairobi County');
    expect(text(pokot!.querySelector('.muted'))).to.equal('West Pokot County');
    const badges = (target: Element) =>
      [...target.querySelectorAll(':scope > ul [part="badge"]')].map((badge) => [badge.className, text(badge)]);
    expect(badges(dpp!)).to.deep.equal([
      ['badge committed', 'Committed'],
      ['badge delivered', 'Delivered'],
    ]);
    expect(badges(ig!)).to.deep.equal([
      ['badge broken', 'Broke the commitment'],
      ['badge acknowledged', 'Acknowledged'],
    ]);
    expect(text(dpp!.querySelector(':scope > ul li'))).to.equal('Investigate every case Committed');
  });

  it('shows the Kiswahili name, office, institution and statements in Kiswahili, each falling back to the English', async () => {
    const record = () => {
      const data = accountabilityFixture();
      const [dpp, , ig] = data.targets;
      Object.assign(dpp!, { name: 'Director of Public Prosecutions', nameSw: 'Mkurugenzi wa Mashtaka ya Umma', office: 'Director', officeSw: 'Mkurugenzi' });
      // No Kiswahili institution: the English one shows in both languages.
      Object.assign(dpp!.positions[0]!.history[1]!, { statement: 'We will review every file.', statementSw: 'Tutapitia kila faili.' });
      // Answered in Kiswahili only (through the response page in Kiswahili), and in English only.
      Object.assign(ig!.positions[0]!.history[1]!, { statement: null, statementSw: 'Ahadi haikutimizwa kwa sababu ya bajeti.' });
      Object.assign(ig!.positions[1]!.history[1]!, { statement: 'Received with thanks.', statementSw: null });
      return json(data);
    };
    const statements = (el: ImluAccountability) =>
      $$(el, '[part="target"] details q').map((q) => [q.getAttribute('lang'), text(q)]);

    const en = await mount(record);
    expect(shownNames(en)[0]).to.equal('Director of Public Prosecutions');
    expect(text($(en, '[part="target"] .muted'))).to.equal('Director · ODPP · National');
    await openHistories(en);
    expect(statements(en)).to.deep.equal([
      ['en', 'We will review every file.'],
      ['sw', 'Ahadi haikutimizwa kwa sababu ya bajeti.'],
      ['en', 'Received with thanks.'],
    ]);
    await expect(en).to.be.accessible();

    stub!.restore();
    const sw = await mount(record, { lang: 'sw' });
    expect(shownNames(sw)).to.deep.equal(['Mkurugenzi wa Mashtaka ya Umma', 'Amina Otieno', 'Kiprono Chebet', 'Lokwang Ekai']);
    expect(text($(sw, '[part="target"] .muted'))).to.equal('Mkurugenzi · ODPP · Kitaifa');
    await openHistories(sw);
    expect(statements(sw)).to.deep.equal([
      ['sw', 'Tutapitia kila faili.'],
      ['sw', 'Ahadi haikutimizwa kwa sababu ya bajeti.'],
      ['en', 'Received with thanks.'],
    ]);
    await expect(sw).to.be.accessible();
  });

  it('names the key that signs the delivery packs, in English and Kiswahili, and says nothing without one', async () => {
    const signed = () => json(accountabilityFixture({ signingKeyId: '3f9a0c1b2d4e5f60' }));
    const el = await mount(signed);
    expect(text($(el, '[part="signing-key"]'))).to.equal('Delivery packs are signed with key ed25519:3f9a0c1b2d4e5f60');
    await expect(el).to.be.accessible();
    stub!.restore();
    const sw = await mount(signed, { lang: 'sw' });
    expect(text($(sw, '[part="signing-key"]'))).to.equal('Vifurushi vya kuwasilisha vimetiwa sahihi ya kidijitali kwa ufunguo ed25519:3f9a0c1b2d4e5f60');
    stub!.restore();
    expect($(await mount(), '[part="signing-key"]')).to.equal(null);
  });

  it('shows how many days a duty bearer is overdue, singular and plural, in both languages', async () => {
    const el = await mount();
    expect($$(el, '[part="target"] > p > .overdue').map(text)).to.deep.equal(['Overdue by 12 days', 'Overdue by 1 day']);
    stub!.restore();
    const sw = await mount(undefined, { lang: 'sw' });
    expect($$(sw, '[part="target"] > p > .overdue').map(text)).to.deep.equal([
      'Muda umepita kwa siku 12',
      'Muda umepita kwa siku 1',
    ]);
    const [, governor] = $$(sw, '[part="target"]');
    expect(text(governor!.querySelector('.muted'))).to.equal('Kaunti ya Jiji la Nairobi · Kaunti ya Nairobi');
  });

  it('says "Overdue" without a number when the API gives no day count', async () => {
    const data = accountabilityFixture();
    data.targets[1]!.daysOverdue = null;
    const el = await mount(() => json(data));
    expect($$(el, '[part="target"] > p > .overdue').map(text)).to.deep.equal(['Overdue', 'Overdue by 1 day']);
  });

  it('filters by status, announces the count politely, and starts from the status attribute', async () => {
    const el = await mount();
    const count = $(el, '.count')!;
    expect(count.getAttribute('role')).to.equal('status');
    expect(text(count)).to.equal('Showing 4 of 4 duty bearers');

    await choose(el, 'overdue');
    expect(el.status).to.equal('overdue');
    expect(shownNames(el)).to.deep.equal(['Amina Otieno', 'Kiprono Chebet']);
    expect(text(count)).to.equal('Showing 2 of 4 duty bearers');
    await expect(el).to.be.accessible();

    await choose(el, 'delivered');
    expect(shownNames(el)).to.deep.equal(['Wanjiku Mwangi']);
    expect(text(count)).to.equal('Showing 1 of 4 duty bearers');

    await choose(el, 'not_asked');
    expect(shownNames(el)).to.deep.equal(['Lokwang Ekai']);

    await choose(el, '');
    expect(shownNames(el)).to.have.length(4);

    // A typo in the attribute shows everyone, and the select says so.
    el.status = 'comitted';
    await el.updateComplete;
    expect(shownNames(el)).to.have.length(4);
    expect($<HTMLSelectElement>(el, '[part="filter"]')!.value).to.equal('');

    stub!.restore();
    const declined = await mount(undefined, { status: 'declined', lang: 'sw' });
    expect(shownNames(declined)).to.deep.equal(['Amina Otieno']);
    expect($<HTMLSelectElement>(declined, '[part="filter"]')!.value).to.equal('declined');
    expect(text($(declined, '.count'))).to.equal('Inaonyesha wenye wajibu 1 kati ya 4');
    expect(text($(declined, 'label[for="filter"]'))).to.equal('Onyesha');
  });

  it('keeps a dated history per duty bearer in a <details>, newest first, with who recorded it', async () => {
    const el = await mount();
    const details = $$<HTMLDetailsElement>(el, '[part="target"] details');
    // The duty bearer who was never asked has no history to show.
    expect(details).to.have.length(3);
    expect(details[0]!.open).to.equal(false);
    expect(text(details[0]!.querySelector('summary'))).to.equal('History');
    await openHistories(el);
    const entries = [...details[0]!.querySelectorAll('li')];
    expect(entries.map((li) => li.querySelector('time')!.getAttribute('datetime'))).to.deep.equal([
      '2025-03-01T09:00:00.000Z',
      '2025-02-01T09:00:00.000Z',
      '2025-01-10T07:00:00.000Z',
      '2025-01-10T07:00:00.000Z',
    ]);
    expect(text(entries[0]!.querySelector('time'))).to.equal('1 March 2025');
    // (The quotation marks around a statement come from <q>, not from the text.)
    expect(text(entries[1]!)).to.equal('1 February 2025 Committed Investigate every case Tutapitia kila faili. (Self-reported) Evidence');
    expect(text(entries[0]!.querySelector('.muted'))).to.equal('(Recorded by the campaign)');
    await expect(el).to.be.accessible();

    stub!.restore();
    const sw = await mount(undefined, { lang: 'sw' });
    await openHistories(sw);
    const entry = $$(sw, '[part="target"] details li')[1]!;
    expect(text(entry.querySelector('time'))).to.equal('1 Februari 2025');
    expect(text(entry.querySelector('.muted'))).to.equal('(Imeripotiwa na mhusika mwenyewe)');
  });

  it('loads the history only on the first interaction, and a keyboard opens it and hears it arrive', async () => {
    const real = lazy.history;
    let asked = 0;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (release = resolve));
    lazy.history = () => (asked++, arrived.then(real));
    try {
      const el = await mount();
      await el.updateComplete;
      expect(asked, 'nothing is fetched before the reader interacts').to.equal(0);
      const [first] = $$<HTMLDetailsElement>(el, 'details');
      const summary = first!.querySelector('summary')!;
      summary.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => first!.open, 'Enter opens the history');
      expect(asked, 'focusing it (or opening it) asked for the chunk').to.equal(1);
      // While the chunk is on its way the open history says so, in the live region the entries will fill.
      const region = first!.querySelector('[aria-live="polite"]')!;
      expect(text(region)).to.equal('Loading the duty bearers’ responses…');
      await expect(el).to.be.accessible();
      release();
      await waitUntil(() => region.querySelector('time'), 'the entries arrive in the live region');
      expect(region.querySelectorAll('li')).to.have.length(4);
      expect(asked, 'one download for every history on the element').to.equal(1);
      await expect(el).to.be.accessible();
    } finally {
      lazy.history = real;
    }
  });

  it('says so when the history cannot be downloaded, and asks again at the next opening', async () => {
    const real = lazy.history;
    let fail = true;
    lazy.history = () => (fail ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : real());
    try {
      const el = await mount(undefined, { lang: 'sw' });
      const [first] = $$<HTMLDetailsElement>(el, 'details');
      first!.open = true;
      await waitUntil(() => text(first!.querySelector('[aria-live]')).startsWith('Imeshindikana'), 'the failure is said');
      await expect(el).to.be.accessible();
      fail = false;
      first!.open = false;
      await waitUntil(() => first!.querySelector('time'), 'closing (or opening) again retries');
      first!.open = true;
      expect(text(first!.querySelector('time'))).to.equal('1 Machi 2025');
    } finally {
      lazy.history = real;
    }
  });

  it('links only http(s) evidence, in a new browsing context that cannot reach back or leak the page', async () => {
    const el = await mount();
    await openHistories(el);
    const links = $$(el, 'details a');
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['http://example.org/ripoti', 'https://example.org/barua.pdf']);
    for (const link of links) {
      expect(link.getAttribute('rel')).to.equal('noopener noreferrer nofollow');
      expect(link.getAttribute('target')).to.equal('_blank');
      expect(link.textContent).to.equal('Evidence');
    }
    // The governor's javascript: and data: evidence is not a link, and not text either.
    const [, governor] = $$(el, '[part="target"]');
    expect(governor!.querySelectorAll('a')).to.have.length(0);
    expect(el.shadowRoot!.innerHTML).not.to.include('javascript:');

    expect(safeHref('javascript:alert(1)')).to.equal(undefined);
    expect(safeHref(' JavaScript:alert(1)')).to.equal(undefined);
    expect(safeHref('data:text/html,x')).to.equal(undefined);
    expect(safeHref('/relative/path')).to.equal(undefined);
    expect(safeHref('//example.org/x')).to.equal(undefined);
    expect(safeHref(null)).to.equal(undefined);
    expect(safeHref('HTTPS://Example.org/a b')).to.equal('https://example.org/a%20b');
  });

  it('renders statements and names as text, never as markup', async () => {
    const data = accountabilityFixture();
    data.targets[0]!.name = '<img src=x onerror=alert(1)>';
    data.targets[0]!.positions[0]!.history[1]!.statement = '<script>alert(1)</script>';
    const el = await mount(() => json(data));
    expect($(el, 'img, script')).to.equal(null);
    expect(shownNames(el)[0]).to.equal('<img src=x onerror=alert(1)>');
  });

  it('shows milestones with the date reached, or not yet', async () => {
    const el = await mount();
    expect($$(el, '[part="milestones"] li').map(text)).to.deep.equal([
      '1,000 signatures: Handed to the DPP · Reached on 12 March 2025',
      '10,000 signatures: Heard in Parliament · Not reached yet',
    ]);
    stub!.restore();
    const sw = await mount(undefined, { lang: 'sw' });
    expect($$(sw, '[part="milestones"] li').map(text)).to.deep.equal([
      'Sahihi 1,000: Yamekabidhiwa kwa DPP · Ilifikiwa 12 Machi 2025',
      'Sahihi 10,000: Yasikilizwe Bungeni · Bado haijafikiwa',
    ]);
  });

  it('says so when there are no duty bearers yet, without a filter or counters', async () => {
    const el = await mount(() =>
      json(accountabilityFixture({ targets: [], milestones: [], summary: { targets: 0, asked: 0, responded: 0, committed: 0, delivered: 0, declined: 0, broken: 0, overdue: 0 } })),
    );
    expect(text($(el, 'h2 + p'))).to.equal('No duty bearers yet.');
    expect($(el, '[part="filter"], [part="summary"], [part="list"]')).to.equal(null);
  });

  it('reserves its space and is busy while loading', async () => {
    stub = stubFetch(() => new Promise<Response>(() => {}));
    const el = await fixture<ImluAccountability>(html`<imlu-accountability campaign="c" api=${uniqueApi()}></imlu-accountability>`);
    expect($(el, 'div')!.getAttribute('aria-busy')).to.equal('true');
    expect(text($(el, '.skeleton'))).to.equal('Loading the duty bearers’ responses…');
    expect(el.getBoundingClientRect().height).to.be.greaterThan(300);
  });

  it('shows an error with a retry button, fires imlu-error, and loads on retry', async () => {
    let fail = true;
    stub = stubFetch(() => (fail ? problem('internal', 500) : json(accountabilityFixture())));
    const el = document.createElement('imlu-accountability');
    el.setAttribute('campaign', 'justice-for-survivors');
    el.setAttribute('api', uniqueApi());
    const error = oneEvent(document.body, 'imlu-error');
    document.body.append(el);
    const event = (await error) as ImluErrorEvent;
    expect(event).to.be.instanceOf(ImluErrorEvent);
    expect(event.detail).to.deep.equal({ campaign: 'justice-for-survivors', type: 'urn:imlu:problem:internal', status: 500 });
    await el.updateComplete;
    expect(text($(el, '[role="alert"] p'))).to.equal(
      'The duty bearers’ responses could not be loaded. Check your connection and try again.',
    );
    fail = false;
    $<HTMLButtonElement>(el, '[role="alert"] button')!.click();
    await waitUntil(() => $(el, '[part="list"]'));
    expect(stub.calls).to.have.length(2);
    el.remove();
  });

  it('dark by the reader’s setting or theme="dark": every badge stays readable (axe contrast)', async () => {
    try {
      await emulateMedia({ colorScheme: 'dark' });
      const el = await mount();
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(30, 30, 30)');
      expect(getComputedStyle($(el, '.delivered')!).color).to.equal('rgb(125, 220, 143)');
      await openHistories(el);
      await expect(el).to.be.accessible();
      el.setAttribute('theme', 'light');
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(255, 255, 255)');
      await expect(el).to.be.accessible();
      await emulateMedia({ colorScheme: 'light' });
      el.setAttribute('theme', 'dark');
      expect(getComputedStyle($(el, '.asked')!).color).to.equal('rgb(245, 193, 108)');
      await expect(el).to.be.accessible();
      el.style.setProperty('--imlu-color-success', 'rgb(0, 80, 0)');
      el.style.setProperty('--imlu-color-surface', 'rgb(250, 250, 250)');
      expect(getComputedStyle($(el, '.delivered')!).color).to.equal('rgb(0, 80, 0)');
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(250, 250, 250)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  describe('refreshing', () => {
    let clock: ReturnType<typeof installClock> | undefined;
    afterEach(() => {
      clock?.restore();
      clock = undefined;
      delete (document as { hidden?: boolean }).hidden;
    });

    it('revalidates every 60 s while visible (a conditional request: 304 when unchanged), never while hidden', async () => {
      let data = accountabilityFixture();
      clock = installClock();
      const el = await mount(() => json(data));
      expect(stub!.calls).to.have.length(1);
      expect(clock.pending()).to.deep.equal([ACCOUNTABILITY_INTERVAL_MS]);

      data = accountabilityFixture({ summary: { ...data.summary, delivered: 2 } });
      await clock.tick(ACCOUNTABILITY_INTERVAL_MS - 1);
      expect(stub!.calls).to.have.length(1);
      await clock.tick(1);
      expect(stub!.calls).to.have.length(2);
      expect(text($(el, '[part="summary"]'))).to.equal('1 of 4 committed · 2 delivered · 2 overdue');
      // Every request lets the browser revalidate its copy with If-None-Match (cache: 'no-cache').
      expect(stub!.calls.map((call) => call.cache)).to.deep.equal(['no-cache', 'no-cache']);

      setHidden(true);
      expect(clock.pending()).to.deep.equal([]);
      await clock.tick(10 * ACCOUNTABILITY_INTERVAL_MS);
      expect(stub!.calls).to.have.length(2);

      setHidden(false);
      await clock.tick(0);
      expect(stub!.calls).to.have.length(3);
      expect(clock.pending()).to.deep.equal([ACCOUNTABILITY_INTERVAL_MS]);

      // Hidden and visible again within the minute: no early request.
      await clock.tick(5_000);
      setHidden(true);
      setHidden(false);
      expect(clock.pending()).to.deep.equal([ACCOUNTABILITY_INTERVAL_MS - 5_000]);
    });

    it('keeps what it shows on a 304 or a failed refresh, without an error', async () => {
      let respond: Route = () => json(accountabilityFixture());
      clock = installClock();
      const el = await mount((call) => respond(call));
      let errors = 0;
      el.addEventListener('imlu-error', () => errors++);
      respond = () => new Response(null, { status: 304 });
      await clock.tick(ACCOUNTABILITY_INTERVAL_MS);
      respond = () => Promise.reject(new TypeError('Failed to fetch'));
      await clock.tick(ACCOUNTABILITY_INTERVAL_MS);
      expect(stub!.calls).to.have.length(3);
      expect(shownNames(el)).to.have.length(4);
      expect($(el, '[role="alert"]')).to.equal(null);
      expect(errors).to.equal(0);
      expect(clock.pending()).to.deep.equal([ACCOUNTABILITY_INTERVAL_MS]);
    });

    it('stops its timer and listener when removed, and catches up when attached again', async () => {
      clock = installClock();
      const el = await mount();
      const parent = el.parentElement!;
      el.remove();
      expect(clock.pending()).to.deep.equal([]);
      setHidden(false);
      await clock.tick(5 * ACCOUNTABILITY_INTERVAL_MS);
      expect(stub!.calls).to.have.length(1);
      parent.append(el);
      await clock.tick(0);
      expect(stub!.calls).to.have.length(2);
    });

    it('loads the new campaign when the attribute changes, ignoring a late answer for the old one', async () => {
      let release!: (response: Response) => void;
      stub = stubFetch((call) =>
        call.url.includes('/old/')
          ? new Promise<Response>((resolve) => (release = resolve))
          : json(accountabilityFixture({ title: { en: 'New', sw: 'Mpya' } })),
      );
      const el = await fixture<ImluAccountability>(html`<imlu-accountability campaign="old" api=${uniqueApi()}></imlu-accountability>`);
      el.campaign = 'new';
      await waitUntil(() => $(el, 'h2'));
      release(json(accountabilityFixture({ title: { en: 'Old', sw: 'Zamani' } })));
      await settle();
      expect(text($(el, 'h2'))).to.equal('New');
    });
  });
});

describe('<imlu-accountability> pledges', () => {
  afterEach(() => stub?.restore());

  const pledge = (overrides: Partial<BoardPledge>): BoardPledge => ({
    id: 'act-hearing',
    position: 1,
    title: { en: 'Attend the hearing', sw: 'Hudhuria kikao cha mahakama' },
    place: { en: 'Milimani Law Courts', sw: 'Mahakama ya Milimani' },
    county: 'KE-30',
    // 23:30 in Nairobi on 12 January, still 11 January in UTC: the date is Kenya's.
    startsAt: '2026-01-12T20:30:00.000Z',
    capacity: 1500,
    pledged: 1200,
    reminded: 1100,
    kept: 830,
    cant: 40,
    placesLeft: 300,
    ...overrides,
  });
  const PLEDGES = [
    pledge({ id: 'act-march', position: 2, title: { en: 'March to Parliament', sw: 'Andamana hadi Bungeni' }, place: null, startsAt: '2099-03-01T07:00:00.000Z', pledged: 45, kept: 0, placesLeft: 5 }),
    pledge({}),
    pledge({ id: 'act-write', position: 3, title: { en: 'Write to your MCA', sw: 'Mwandikie MCA wako' }, place: null, county: null, startsAt: null, capacity: null, pledged: 12, kept: 1, placesLeft: null }),
  ];

  const rows = (el: ImluAccountability) => $$(el, '[part="pledge"]').map(text);

  it('[axe] shows each action beside the commitments, every figure in words: kept once it has happened, places left while ahead', async () => {
    const el = await mount(() => json(accountabilityFixture({ pledges: PLEDGES })));
    expect(text($(el, '[part="pledges"]')!.previousElementSibling)).to.equal('Supporters’ pledges');
    expect(rows(el)).to.deep.equal([
      'Attend the hearing 12 January 2026 · Milimani Law Courts 1,200 pledged; 830 kept their pledge',
      'March to Parliament 1 March 2099 · Nairobi 45 pledged · 5 places left',
      'Write to your MCA 12 pledged; 1 kept their pledge',
    ]);
    // Words, never a bar alone.
    expect($(el, '[part="pledges"] progress, [part="pledges"] meter')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('[axe] in Kiswahili', async () => {
    const el = await mount(() => json(accountabilityFixture({ pledges: PLEDGES })), { lang: 'sw' });
    expect(text($(el, '[part="pledges"]')!.previousElementSibling)).to.equal('Ahadi za wafuasi');
    expect(rows(el)).to.deep.equal([
      'Hudhuria kikao cha mahakama 12 Januari 2026 · Mahakama ya Milimani 1,200 waliahidi; 830 walitimiza ahadi yao',
      'Andamana hadi Bungeni 1 Machi 2099 · Nairobi 45 wameahidi · nafasi 5 zimebaki',
      'Mwandikie MCA wako 12 waliahidi; 1 alitimiza ahadi yake',
    ]);
    await expect(el).to.be.accessible();
  });

  it('has no pledges section for a campaign without them', async () => {
    const el = await mount();
    expect($(el, '[part="pledges"]')).to.equal(null);
  });
});
