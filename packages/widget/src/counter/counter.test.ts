import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import '../imlu-counter.ts';
import '../imlu-petition.ts';
import { COUNTS_INTERVAL_MS } from '../api/counts-feed.ts';
import type { ImluCounter } from './counter.component.ts';
import { installClock, setHidden } from '../testing/clock.ts';
import { apiRoutes, countsFixture, json, settle, stubFetch, uniqueApi, type FetchStub } from '../testing/fixtures.ts';

function text(el: ImluCounter): string {
  return el.shadowRoot!.querySelector('[part="counter"]')!.textContent!.trim();
}

async function counter(api = uniqueApi(), lang?: string): Promise<ImluCounter> {
  const el = await fixture<ImluCounter>(html`<imlu-counter campaign="c" api=${api} lang=${lang ?? ''}></imlu-counter>`);
  await settle();
  return el;
}

describe('<imlu-counter>', () => {
  let stub: FetchStub;
  afterEach(() => {
    stub?.restore();
    document.documentElement.lang = 'en';
  });

  it('[axe] is accessible', async () => {
    stub = stubFetch(apiRoutes());
    const el = await counter();
    await expect(el).to.be.accessible();
  });

  it('shows the count formatted for English, in a polite live region', async () => {
    stub = stubFetch(apiRoutes({ counts: countsFixture({ signatures: 1234 }) }));
    const el = await counter();
    expect(text(el)).to.equal('1,234 signatures');
    const region = el.shadowRoot!.querySelector('[part="counter"]')!;
    expect(region.getAttribute('role')).to.equal('status');
    expect(stub.calls[0]!.url).to.match(/\/v1\/campaigns\/c\/counts$/);
    expect(stub.calls[0]!.credentials).to.equal('omit');
  });

  it('says "1 signature" for one', async () => {
    stub = stubFetch(apiRoutes({ counts: countsFixture({ signatures: 1 }) }));
    expect(text(await counter())).to.equal('1 signature');
  });

  it('shows "Sahihi 1,234" in Kiswahili and follows <html lang>', async () => {
    stub = stubFetch(apiRoutes({ counts: countsFixture({ signatures: 1234 }) }));
    expect(text(await counter(uniqueApi(), 'sw-KE'))).to.equal('Sahihi 1,234');

    const el = await counter();
    expect(text(el)).to.equal('1,234 signatures');
    document.documentElement.lang = 'sw';
    await settle();
    expect(text(el)).to.equal('Sahihi 1,234');
    expect(el.shadowRoot!.querySelector('[part="counter"]')!.getAttribute('lang')).to.equal('sw');
  });

  it('stays empty, without throwing, when the API cannot be reached', async () => {
    stub = stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(text(await counter())).to.equal('');
  });

  describe('polling', () => {
    let clock: ReturnType<typeof installClock>;
    afterEach(() => {
      clock?.restore();
      delete (document as { hidden?: boolean }).hidden;
    });

    it('polls at most every 15 s, never while the tab is hidden, and resumes when visible', async () => {
      let signatures = 10;
      stub = stubFetch(() => json(countsFixture({ signatures })));
      clock = installClock();
      const el = await counter();
      expect(stub.calls).to.have.length(1);
      expect(clock.pending()).to.deep.equal([COUNTS_INTERVAL_MS]);
      expect(COUNTS_INTERVAL_MS).to.be.at.least(15_000);

      signatures = 11;
      await clock.tick(COUNTS_INTERVAL_MS - 1);
      expect(stub.calls).to.have.length(1);
      await clock.tick(1);
      expect(stub.calls).to.have.length(2);
      expect(text(el)).to.equal('11 signatures');

      setHidden(true);
      expect(clock.pending()).to.deep.equal([]);
      await clock.tick(10 * COUNTS_INTERVAL_MS);
      expect(stub.calls).to.have.length(2);

      // Visible again long after the last poll: fetch at once, then every interval.
      setHidden(false);
      await clock.tick(0);
      expect(stub.calls).to.have.length(3);
      expect(clock.pending()).to.deep.equal([COUNTS_INTERVAL_MS]);

      // Hidden and visible again within the interval: no early fetch.
      await clock.tick(5_000);
      setHidden(true);
      setHidden(false);
      expect(clock.pending()).to.deep.equal([COUNTS_INTERVAL_MS - 5_000]);
    });

    it('removes its timer and visibility listener when disconnected', async () => {
      stub = stubFetch(() => json(countsFixture()));
      clock = installClock();
      const el = await counter();
      expect(clock.pending()).to.have.length(1);
      el.remove();
      expect(clock.pending()).to.deep.equal([]);
      setHidden(false);
      await clock.tick(10 * COUNTS_INTERVAL_MS);
      expect(stub.calls).to.have.length(1);
    });

    it('shares one poll between a counter and a petition of the same campaign', async () => {
      stub = stubFetch(apiRoutes());
      clock = installClock();
      const api = uniqueApi();
      await fixture(html`<div>
        <imlu-counter campaign="justice-for-survivors" api=${api}></imlu-counter>
        <imlu-counter campaign="justice-for-survivors" api=${api}></imlu-counter>
        <imlu-petition campaign="justice-for-survivors" api=${api}></imlu-petition>
      </div>`);
      await settle();
      await clock.tick(COUNTS_INTERVAL_MS);
      await clock.tick(COUNTS_INTERVAL_MS);
      // One initial counts fetch (or none if the campaign payload came first), then one per interval.
      expect(stub.callsTo('/counts').length).to.be.within(2, 3);
      expect(clock.pending()).to.have.length(1);
      fixtureCleanup();
      expect(clock.pending()).to.deep.equal([]);
    });
  });
});

describe('<imlu-counter show="kept">', () => {
  let stub: FetchStub;
  afterEach(() => stub?.restore());

  const figures = (position: number, pledged: number, kept: number) => ({
    id: `act-${position}`,
    position,
    pledged,
    reminded: 0,
    kept,
    cant: 0,
    placesLeft: null,
  });
  const pledgeCounts = countsFixture({ actions: [figures(1, 1000, 700), figures(2, 200, 130)] });

  async function kept(attrs: { action?: string; lang?: string }, counts = pledgeCounts): Promise<ImluCounter> {
    stub = stubFetch(() => json(counts));
    const el = await fixture<ImluCounter>(
      html`<imlu-counter campaign="c" api=${uniqueApi()} show="kept" action=${attrs.action ?? ''} lang=${attrs.lang ?? 'en'}></imlu-counter>`,
    );
    await settle();
    return el;
  }

  it('[axe] says how many of those who pledged kept their pledge, over every action', async () => {
    const el = await kept({});
    expect(text(el)).to.equal('830 of 1,200 kept their pledge');
    expect(el.shadowRoot!.querySelector('[part="counter"]')!.getAttribute('role')).to.equal('status');
    await expect(el).to.be.accessible();
  });

  it('counts one action by its position', async () => {
    expect(text(await kept({ action: '2' }))).to.equal('130 of 200 kept their pledge');
    expect(text(await kept({ action: '3' }))).to.equal('');
  });

  it('says it in Kiswahili, one and many', async () => {
    expect(text(await kept({ lang: 'sw' }))).to.equal('830 kati ya 1,200 walitimiza ahadi yao');
    const one = countsFixture({ actions: [figures(1, 40, 1)] });
    expect(text(await kept({ lang: 'sw' }, one))).to.equal('1 kati ya 40 alitimiza ahadi yake');
    expect(text(await kept({}, one))).to.equal('1 of 40 kept their pledge');
  });

  it('leaves out, over every action, the pledges of an action still ahead (not yet broken), but counts it when asked for by position', async () => {
    const ahead = { ...figures(3, 500, 0), startsAt: '2099-01-12T06:00:00.000Z' };
    const past = { ...figures(1, 1000, 700), startsAt: '2026-01-12T06:00:00.000Z' };
    const counts = countsFixture({ actions: [past, figures(2, 200, 130), ahead] });
    expect(text(await kept({}, counts))).to.equal('830 of 1,200 kept their pledge');
    expect(text(await kept({ action: '3' }, counts))).to.equal('0 of 500 kept their pledge');
    // Before any action has happened there is nothing to say yet.
    expect(text(await kept({}, countsFixture({ actions: [ahead] })))).to.equal('');
  });

  it('shows nothing, rather than a wrong figure, while the counts carry none for the actions', async () => {
    expect(text(await kept({}, countsFixture()))).to.equal('');
  });
});
