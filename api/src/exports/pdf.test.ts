/**
 * The PDF writer's backpressure (issue 15): every wait for a slow reader unsubscribes what it waited on,
 * so a long pack read slowly adds no listener per wait (it added a 'close' and an 'error' listener each
 * time, and Node warned of a leak).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { pdfStream } from './pdf.ts';
import type { ExportRecord, ExportSummary } from './query.ts';

const ROWS = 3000;

async function* records(): AsyncGenerator<ExportRecord> {
  for (let i = 0; i < ROWS; i++) {
    yield { id: `s${i}`, createdAt: Date.UTC(2026, 0, 1) + i, confirmedAt: null, status: 'counted', county: 'KE-30', countyName: 'Nairobi', name: 'Wanjirũ Kamau', displayName: 'Wanjirũ Kamau', email: null, phone: null };
  }
}

describe('PDF pack', () => {
  it('waits for a slow reader without piling up listeners', async () => {
    const summary: ExportSummary = { total: ROWS, counted: ROWS, pending: 0, byCounty: new Map([['KE-30', ROWS]]), firstAt: null, lastAt: null, anonymisedAt: null };
    const campaign = { title: { en: 'Petition', sw: 'Ombi' }, body: { en: 'Body', sw: 'Maelezo' }, demands: [] } as unknown as Parameters<typeof pdfStream>[1]['campaign'];
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // A tiny buffer bound: the writer waits for the reader after every 200 rows.
      const doc = pdfStream(records(), { campaign, summary, locale: 'en', generatedAt: 0, maxBuffered: 1 });
      let most = 0;
      let bytes = 0;
      for await (const chunk of doc) {
        bytes += (chunk as Buffer).length;
        most = Math.max(most, doc.listenerCount('close'), doc.listenerCount('error'));
        await sleep(1);
      }
      expect(bytes).toBeGreaterThan(10_000);
      expect(most).toBeLessThanOrEqual(3);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
