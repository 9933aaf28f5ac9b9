/**
 * Steps that drive the console's "Exports" view in the browser (packages/console/src/exports.component.ts),
 * for the view's own end-to-end test and the lead's whole-flow test. Each starts on the console home of a
 * signed-in staff member whose role holds `signatures:export`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** The view's words the steps look for, as the console shows them (exports.strings.ts, strings.ts). */
export const EXPORTS_COPY = {
  en: {
    view: 'Exports',
    back: 'Back to your views',
    exportTitle: 'Export signatures',
    campaign: 'Campaign',
    pdf: 'PDF for an official (cover, counts, names)',
    csv: 'CSV (spreadsheet text)',
    json: 'OSDI JSON (for other tools)',
    pack: 'As a signed delivery pack',
    start: 'Download the export',
    startPack: 'Download the delivery pack',
    cancel: 'Cancel',
    progress: 'Download progress',
    saved: /Saved (.+): [\d,]+ rows\./,
    rowsOf: /\d+ of [\d,]+ rows/,
    preparing: 'Preparing the file…',
    cancelled: 'The download was cancelled. Nothing was saved.',
    packFile: 'Delivery pack (zip file)',
    verify: 'Check the pack',
    valid: 'Genuine: this pack is exactly as we made it.',
    invalid: 'Not genuine: this pack was changed, or we did not make it.',
    historyTitle: 'Who exported what, and when',
    deliveryPack: 'delivery pack',
  },
  sw: {
    view: 'Nakala za data',
    back: 'Rudi kwenye sehemu zako',
    exportTitle: 'Pakua sahihi',
    campaign: 'Kampeni',
    pdf: 'PDF kwa afisa (jalada, idadi, majina)',
    csv: 'CSV (maandishi ya jedwali)',
    json: 'OSDI JSON (kwa programu nyingine)',
    pack: 'Kama kifurushi cha kuwasilisha kilichotiwa sahihi',
    start: 'Pakua faili',
    startPack: 'Pakua kifurushi',
    cancel: 'Ghairi',
    progress: 'Maendeleo ya upakuaji',
    saved: /Imehifadhiwa (.+): safu [\d,]+\./,
    rowsOf: /Safu [\d,]+ kati ya [\d,]+/,
    preparing: 'Faili inatayarishwa…',
    cancelled: 'Upakuaji umeghairiwa. Hakuna kilichohifadhiwa.',
    packFile: 'Kifurushi (faili ya zip)',
    verify: 'Hakiki kifurushi',
    valid: 'Halali: kifurushi hiki ni kama tulivyokitengeneza.',
    invalid: 'Si halali: kifurushi hiki kimebadilishwa, au hatukukitengeneza sisi.',
    historyTitle: 'Nani alipakua nini, na lini',
    deliveryPack: 'kifurushi',
  },
} as const;

export type ExportsLanguage = keyof typeof EXPORTS_COPY;

/** From the console home, opens "Exports" and waits for its form. */
export async function openExports(page: Page, language: ExportsLanguage): Promise<void> {
  const copy = EXPORTS_COPY[language];
  await page.getByRole('button', { name: copy.view, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: copy.view }).waitFor();
  await page.getByRole('combobox', { name: copy.campaign, exact: true }).waitFor();
}

/** The view's status line under the export form (progress, saved, cancelled). */
export function exportStatus(page: Page) {
  return page.locator('imlu-console-exports p[role="status"][data-state]');
}

/**
 * From the console home: opens "Exports", picks the campaign `slug`, asks for the signed PDF delivery pack,
 * waits for the browser's download and saves it. Returns the saved file's path (named as the API named it),
 * in a new temporary folder of its own that the caller deletes (the pack holds names).
 */
export async function downloadDeliveryPack(page: Page, language: ExportsLanguage, { slug }: { slug: string }): Promise<string> {
  const copy = EXPORTS_COPY[language];
  await openExports(page, language);
  await page.getByRole('combobox', { name: copy.campaign, exact: true }).selectOption(slug);
  await page.getByRole('radio', { name: copy.pdf }).check();
  await page.getByRole('checkbox', { name: copy.pack }).check();
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: copy.startPack }).click();
  const file = await download;
  const path = join(mkdtempSync(join(tmpdir(), 'imlu-console-pack-')), file.suggestedFilename());
  await file.saveAs(path);
  await exportStatus(page).filter({ hasText: copy.saved }).waitFor();
  return path;
}
