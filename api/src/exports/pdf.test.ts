/**
 * The PDF writer's memory over a long pack (issue 15): pages are written out while rows are still being
 * read, every wait for a slow reader unsubscribes what it waited on (it left a 'close' and an 'error'
 * listener per wait, and Node warned of a leak), and pdfkit's per-font cache of word layouts is emptied
 * as it goes (it kept every row number and name ever set).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { pdfStream } from './pdf.ts';
import type { ExportRecord, ExportSummary } from './query.ts';

const ROWS = 3000;
let allRead = false;

async function* records(): AsyncGenerator<ExportRecord> {
  for (let i = 0; i < ROWS; i++) {
    const name = `Wanjirũ Kamau${i}`;
    yield { id: `s${i}`, createdAt: Date.UTC(2026, 0, 1) + i, confirmedAt: null, status: 'counted', county: 'KE-30', countyName: 'Nairobi', name, displayName: name, email: null, phone: null };
  }
  allRead = true;
}

describe('PDF pack', () => {
  it('waits for a slow reader without piling up listeners, and forgets word layouts as it goes', async () => {
    const summary: ExportSummary = { total: ROWS, counted: ROWS, pending: 0, byCounty: new Map([['KE-30', ROWS]]), firstAt: null, lastAt: null, anonymisedAt: null };
    const campaign = { title: { en: 'Petition', sw: 'Ombi' }, body: { en: 'Body', sw: 'Maelezo' }, demands: [] } as unknown as Parameters<typeof pdfStream>[1]['campaign'];
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // A tiny buffer bound: the writer waits for the reader after every 200 rows.
      const doc = pdfStream(records(), { campaign, summary, locale: 'en', generatedAt: 0, pending: 'mark', maxBuffered: 1 });
      let most = 0;
      let bytes = 0;
      let bytesBeforeLastRow = 0;
      for await (const chunk of doc) {
        bytes += (chunk as Buffer).length;
        if (!allRead) bytesBeforeLastRow = bytes;
        most = Math.max(most, doc.listenerCount('close'), doc.listenerCount('error'));
        await sleep(1);
      }
      expect(bytes).toBeGreaterThan(10_000);
      // Pages go out as they are finished, "Page X of Y" notwithstanding (its Y is one shared form).
      expect(bytesBeforeLastRow).toBeGreaterThan(bytes / 2);
      expect(most).toBeLessThanOrEqual(3);
      // Every row set a new number and a new name; the layouts kept are at most the last 200 rows' words.
      const families = (doc as unknown as { _fontFamilies: Record<string, { layoutCache?: object }> })._fontFamilies;
      const caches = Object.values(families).flatMap((font) => (font.layoutCache ? [font.layoutCache] : []));
      expect(caches.length).toBeGreaterThan(0); // the embedded Liberation Sans, regular and bold
      for (const cache of caches) expect(Object.keys(cache).length).toBeLessThan(1000);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
