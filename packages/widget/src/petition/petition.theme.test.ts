/**
 * The theming contract and the small-screen promise: light and dark defaults (from the signer's
 * `prefers-color-scheme`, or forced with `theme`), both passing axe's contrast checks; system tokens
 * overriding both; and a form that fits 320 CSS pixels (a 640 px phone at 200 % zoom) without
 * sideways scrolling.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import '../imlu-petition.ts';
import type { ImluPetition } from './petition.component.ts';
import { apiRoutes, campaignFixture, stubFetch, uniqueApi, type FetchStub } from '../testing/fixtures.ts';

const $ = <T extends HTMLElement = HTMLElement>(el: ImluPetition, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector)!;

let stub: FetchStub | undefined;

async function petition(theme?: string, style = ''): Promise<ImluPetition> {
  stub = stubFetch(apiRoutes());
  const el = await fixture<ImluPetition>(
    html`<imlu-petition theme=${theme ?? ''} style=${style} campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition>`,
  );
  if (!theme) el.removeAttribute('theme');
  await waitUntil(() => el.shadowRoot!.querySelector('form'));
  return el;
}

const colours = (el: HTMLElement) => {
  const style = getComputedStyle(el);
  return { background: style.backgroundColor, color: style.color };
};

async function showErrors(el: ImluPetition): Promise<void> {
  $<HTMLButtonElement>(el, '[part="submit"]').click();
  await waitUntil(() => el.shadowRoot!.querySelector('#name-error'));
}

const LIGHT = { background: 'rgb(255, 255, 255)', color: 'rgb(26, 26, 26)' };
const DARK = { background: 'rgb(30, 30, 30)', color: 'rgb(242, 242, 242)' };

describe('<imlu-petition> theming', () => {
  afterEach(async () => {
    stub?.restore();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('is light by default, and dark when the signer prefers dark', async () => {
    const light = await petition();
    expect(colours(light)).to.deep.equal(LIGHT);

    await emulateMedia({ colorScheme: 'dark' });
    expect(colours(light)).to.deep.equal(DARK);
    expect(getComputedStyle(light).colorScheme).to.equal('dark');
    await expect(light).to.be.accessible();
    await showErrors(light);
    await expect(light).to.be.accessible();
  });

  it('theme="light" stays light for a signer who prefers dark; theme="dark" is dark for everyone', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    expect(colours(await petition('light'))).to.deep.equal(LIGHT);
    await emulateMedia({ colorScheme: 'light' });
    const dark = await petition('dark');
    expect(colours(dark)).to.deep.equal(DARK);
    // Buttons: dark text on the light purple; inputs on the dark surface.
    expect(colours($(dark, '[part="submit"]'))).to.deep.equal({ background: 'rgb(205, 180, 240)', color: 'rgb(30, 30, 30)' });
    expect(colours($(dark, '#name')).background).to.equal('rgb(30, 30, 30)');
    await showErrors(dark);
    expect(getComputedStyle($(dark, '#name-error')).color).to.equal('rgb(255, 138, 128)');
    await expect(dark).to.be.accessible();
  });

  it('lets a partner set the system tokens for both schemes, and a component token over them', async () => {
    const style = '--imlu-color-primary: #005a31; --imlu-color-surface: #fffdf5; --imlu-radius: 0';
    const el = await petition('dark', style);
    expect(colours(el).background).to.equal('rgb(255, 253, 245)');
    const submit = $(el, '[part="submit"]');
    expect(getComputedStyle(submit).backgroundColor).to.equal('rgb(0, 90, 49)');
    expect(getComputedStyle(submit).borderTopLeftRadius).to.equal('0px');
    el.style.setProperty('--imlu-button-background', '#7a0019');
    expect(getComputedStyle(submit).backgroundColor).to.equal('rgb(122, 0, 25)');
  });

  it('styles its parts from the page: ::part(submit) and ::part(form)', async () => {
    const el = await petition();
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('imlu-petition::part(submit) { text-transform: uppercase } imlu-petition::part(form) { padding-top: 7px }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    try {
      expect(getComputedStyle($(el, '[part="submit"]')).textTransform).to.equal('uppercase');
      expect(getComputedStyle($(el, 'form')).paddingTop).to.equal('7px');
    } finally {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  });
});

describe('<imlu-petition> at 320 CSS pixels', () => {
  afterEach(() => stub?.restore());

  it('fits without sideways scrolling, with the form and with errors shown', async () => {
    stub = stubFetch(apiRoutes());
    const box = await fixture<HTMLElement>(html`<div style="width: 320px">
      <imlu-petition lang="sw" campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition>
    </div>`);
    const el = box.querySelector('imlu-petition')!;
    await waitUntil(() => el.shadowRoot!.querySelector('form'));
    const fits = () => {
      const right = el.getBoundingClientRect().right;
      expect(el.scrollWidth, 'scroll width').to.be.at.most(el.clientWidth);
      for (const node of el.shadowRoot!.querySelectorAll('input, select, textarea, button, label, p, h2, h3')) {
        expect(node.getBoundingClientRect().right, node.outerHTML.slice(0, 60)).to.be.at.most(right + 0.5);
      }
    };
    fits();
    await showErrors(el);
    fits();
  });
});

describe('<imlu-petition> on a host page with html { font-size: 62.5% }', () => {
  afterEach(() => {
    stub?.restore();
    document.documentElement.style.fontSize = '';
  });

  it('keeps its own text sizes and 24 px targets whatever the root font size, and still follows the tokens', async () => {
    const sizes = (el: ImluPetition) =>
      ['label[for="name"]', '#contact-hint', '#name', 'h2', 'h3', '[part="submit"]'].map((selector) => getComputedStyle($(el, selector)).fontSize);
    const plain = await petition('light');
    const expected = sizes(plain);
    expect(expected).to.deep.equal(['16px', '16px', '16px', '24px', '18px', '16px']);

    document.documentElement.style.fontSize = '62.5%';
    const el = await petition('light');
    expect(sizes(el)).to.deep.equal(expected);
    expect(getComputedStyle($(el, 'div[lang]')).paddingTop).to.equal('16px');
    for (const box of el.shadowRoot!.querySelectorAll('input[type="checkbox"]')) {
      const { width, height } = box.getBoundingClientRect();
      expect([width, height], box.id).to.deep.equal([24, 24]);
    }
    expect($(el, 'summary').getBoundingClientRect().height).to.be.at.least(24);

    const themed = await petition('light', '--imlu-font-size: 18px; --imlu-petition-title-size: 30px');
    expect(getComputedStyle($(themed, 'label[for="name"]')).fontSize).to.equal('18px');
    expect(getComputedStyle($(themed, '#name')).fontSize).to.equal('18px');
    expect(getComputedStyle($(themed, 'h2')).fontSize).to.equal('30px');
  });
});

describe('<imlu-petition> on a 360 × 640 phone screen', () => {
  afterEach(async () => {
    stub?.restore();
    await setViewport({ width: 800, height: 600 });
  });

  it('shows the first field on the first screen, with the demands folded and unfoldable', async () => {
    await setViewport({ width: 360, height: 640 });
    // Four demands of the demo's length (some 200 characters each) and a milestone, as on the partner page.
    const text = (n: number, lang: string) => `${lang === 'en' ? 'Demand' : 'Dai'} ${n}: ${'haki na uwajibikaji kwa kila kesi '.repeat(6)}`;
    const demands = [1, 2, 3, 4].map((n) => ({ id: `d${n}`, position: n, text: { en: text(n, 'en'), sw: text(n, 'sw') } }));
    const milestones = [{ threshold: 10_000, label: { en: 'Delivered to the DPP', sw: 'Litawasilishwa kwa DPP' }, reachedAt: null }];
    for (const lang of ['en', 'sw']) {
      stub = stubFetch(apiRoutes({ campaign: campaignFixture({ demands, milestones }) }));
      const el = await fixture<ImluPetition>(
        html`<imlu-petition lang=${lang} campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition>`,
      );
      await waitUntil(() => el.shadowRoot!.querySelector('form'));
      window.scrollTo(0, 0);
      const top = el.getBoundingClientRect().top;
      const details = $<HTMLDetailsElement>(el, 'details');
      expect(details.open).to.equal(false);
      const folded = details.getBoundingClientRect().height;
      expect($(el, 'details ol').checkVisibility(), 'the demands are folded').to.equal(false);
      expect(folded, 'only the summary line').to.be.below(32);
      // The whole name field is on the first screen of the phone (640 px tall).
      const name = $(el, '#name').getBoundingClientRect();
      expect(name.bottom - top, lang).to.be.at.most(640);

      $(el, 'summary').click();
      await waitUntil(() => details.open);
      expect($(el, 'details ol').checkVisibility()).to.equal(true);
      // Unfolded, the demands alone would push the field off the first screen.
      expect($(el, '#name').getBoundingClientRect().top - top, lang).to.be.above(640);
      expect($(el, 'details li').textContent!.length).to.be.above(0);
      await expect(el).to.be.accessible();
      stub.restore();
    }
  });
});

describe('<imlu-petition> by keyboard alone', () => {
  afterEach(() => stub?.restore());

  it('can be filled and signed with Tab, typing, Space and Enter, in page order', async () => {
    stub = stubFetch(apiRoutes());
    const el = await fixture<ImluPetition>(
      html`<imlu-petition campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelector('form'));
    const order: string[] = [];
    $(el, '#name').focus();
    await sendKeys({ type: 'Wanjirũ Kamau' });
    for (const id of ['phone', 'email', 'county', 'comment', 'terms', 'publicName', 'shareWithTargets', 'updates']) {
      await sendKeys({ press: 'Tab' });
      order.push(el.shadowRoot!.activeElement?.id ?? '');
      if (id === 'phone') await sendKeys({ type: '0712 345 678' });
      if (id === 'terms') await sendKeys({ press: 'Space' });
    }
    expect(order).to.deep.equal(['phone', 'email', 'county', 'comment', 'terms', 'publicName', 'shareWithTargets', 'updates']);
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('submit');
    // The focus ring is visible on the focused control.
    expect(getComputedStyle(el.shadowRoot!.activeElement!).outlineStyle).to.equal('solid');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'thanks-heading', 'focus on the thank-you heading');
    const [call] = stub!.callsTo('/signatures');
    expect(call!.body).to.deep.include({ name: 'Wanjirũ Kamau', phone: '0712 345 678' });
    expect((call!.body as { consent: { terms: boolean } }).consent.terms).to.equal(true);
  });
});
