/**
 * The petition's first paint, rendered on the server (issue 14): the same element, template and styles as
 * the browser's, through Lit's server renderer, as the markup of the element's shadow root. The loader
 * (src/embed.ts) puts it in place while the element's code has not been downloaded: a signer on 2G sees a
 * usable form after the page, the loader and this one small response, and the element's code (Lit, the
 * strings, the petition) is fetched on the first touch of the form, which then takes over the same layout
 * (`createRenderRoot` and `firstUpdated` in ../petition/petition.component.ts).
 */
import type { CampaignForm, Locale } from '@imlu/contracts';
import { signingWindow } from '@imlu/contracts/accepting';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
import { minifyCss } from '../../build/minify-templates.ts';
import { catalog } from '../i18n/index.ts';
import '../imlu-petition.ts';
import { lazy } from '../petition/petition.component.ts';
import { REMIND_RULE } from '../petition/pledge.ts';

/** The shadow root's markup (style and content, without the `<template>` around it), or undefined when
 * the campaign is not open for signing now (the element then renders itself, as before). */
export async function petitionFirstPaint(data: CampaignForm, locale: Locale, now = Date.now()): Promise<string | undefined> {
  const view = signingWindow(data, now);
  if (view !== 'open') return undefined;
  // A pledge's actions render from their own chunk, which the server has at hand.
  if (data.actions?.length) await lazy.pledge();
  const result = await collectResult(render(html`<imlu-petition lang=${locale} .firstPaint=${data}></imlu-petition>`));
  const start = result.indexOf('>', result.indexOf('<template')) + 1;
  const end = result.lastIndexOf('</template>');
  // Shown by embed.js if the petition's code cannot be loaded when the signer presses the button (its link
  // set there, to the hosted page, which needs no script): the element's own words for it.
  const t = catalog(locale);
  const failed = `<div class="alert" role="alert" hidden data-failed><p tabindex="-1">${t.chunkFailed}</p><p><a>${t.hostedLink}</a></p></div>`;
  // Lit's markers are for hydration, which this paint does not use (the element renders afresh over it);
  // the source's indentation is whitespace either way (no <pre>, and the textarea is empty). The styles
  // lose their comments and spaces as the bundle's do (build/minify-templates.ts).
  return result
    .slice(start, end)
    .replace(/<!--[^]*?-->/g, '')
    .replace(/<style>([^]*?)<\/style>/, (_style, css: string) => `<style>${minifyCss(css)}${data.actions?.length ? REMIND_RULE : ''}</style>`)
    // The markup as the bundle's minified templates write it: no whitespace between tags across a line break.
    .replace(/>\s*\n\s*</g, '><')
    .replace(/\n\s+/g, '\n')
    .replace('<button part="submit"', `${failed}<button part="submit"`);
}
