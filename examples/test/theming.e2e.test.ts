/**
 * The theming example (examples/theming): three partner looks of one petition, made only with the
 * documented tokens, parts and the theme attribute. Each look's colours must arrive inside the shadow
 * root, and they must differ from the default look — so a token that stops working fails here.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitButton } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;
let page: Page;

interface Look {
  colorScheme: string;
  surface: string;
  text: string;
  fontFamily: string;
  submitBackground: string;
  submitColor: string;
  submitRadius: string;
  submitTransform: string;
  counterColor: string;
  formBorderTop: string;
}

function look(id: string): Promise<Look> {
  return page.evaluate((id) => {
    const host = document.getElementById(id)!;
    const root = host.shadowRoot!;
    const style = (el: Element) => getComputedStyle(el);
    const submit = style(root.querySelector('[part~="submit"]')!);
    return {
      colorScheme: style(host).colorScheme,
      surface: style(host).backgroundColor,
      text: style(host).color,
      fontFamily: style(root.querySelector('[part~="form"]')!).fontFamily,
      submitBackground: submit.backgroundColor,
      submitColor: submit.color,
      submitRadius: submit.borderTopLeftRadius,
      submitTransform: submit.textTransform,
      counterColor: style(root.querySelector('[part~="counter"]')!).color,
      formBorderTop: `${style(root.querySelector('[part~="form"]')!).borderTopWidth} ${style(root.querySelector('[part~="form"]')!).borderTopColor}`,
    };
  }, id);
}

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchChromium();
  // The signer's own setting is light: the dark look must come from theme="dark", not from the system.
  page = await browser.newPage({ colorScheme: 'light' });
  await page.goto(`${demo.partnerUrl}/theming/`);
  for (const id of ['look-coast', 'look-press', 'look-night']) await submitButton(page.locator(`#${id}`)).waitFor({ state: 'visible' });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('three partner looks', () => {
  it('Coast: system tokens reach surface, text, font, primary and radius', async () => {
    const coast = await look('look-coast');
    expect(coast).toMatchObject({
      colorScheme: 'light',
      surface: 'rgb(255, 250, 240)',
      text: 'rgb(34, 48, 58)',
      submitBackground: 'rgb(11, 94, 99)',
      submitRadius: '16px',
    });
    expect(coast.fontFamily).toContain('Trebuchet MS');
  });

  it('Press: component tokens and parts (black capitals button, red progress text, square corners)', async () => {
    const press = await look('look-press');
    expect(press).toMatchObject({
      submitBackground: 'rgb(17, 17, 17)',
      submitColor: 'rgb(255, 255, 255)',
      submitTransform: 'uppercase',
      submitRadius: '0px',
      counterColor: 'rgb(176, 0, 32)',
    });
    expect(press.fontFamily).toContain('Georgia');
  });

  it('Night: theme="dark" forces the dark scheme on a light system, tuned by the partner tokens and a part', async () => {
    const night = await look('look-night');
    expect(night).toMatchObject({
      colorScheme: 'dark',
      surface: 'rgb(22, 27, 34)',
      text: 'rgb(230, 237, 243)',
      submitBackground: 'rgb(242, 193, 78)',
      formBorderTop: '4px rgb(242, 193, 78)',
    });
  });

  it('differs from the default look, which the partner page shows', async () => {
    const looks = [await look('look-coast'), await look('look-press'), await look('look-night')];
    await page.goto(`${demo.partnerUrl}/`);
    await submitButton(page.locator('imlu-petition')).waitFor({ state: 'visible' });
    const id = await page.evaluate(() => (document.querySelector('imlu-petition')!.id = 'default-look'));
    const plain = await look(id);
    expect(plain).toMatchObject({ colorScheme: 'light', submitBackground: 'rgb(91, 42, 134)', surface: 'rgb(255, 255, 255)' });
    for (const themed of looks) expect(themed.submitBackground).not.toBe(plain.submitBackground);
  });
});
