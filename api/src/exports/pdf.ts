/**
 * The delivery pack: a PDF for the officials a petition is addressed to, streamed page by page.
 *
 * Cover letter (campaign title, body and demands in the chosen locale), totals, date range, a table of
 * signatures per county, then the signature list. A signer who did not agree to share their name with the
 * targets (`consent_share_with_targets` false) appears as "Signatory, <county>" (or "Signatory") and is
 * still counted. No contact data ever goes into the pack.
 *
 * Font: Liberation Sans 2 (SIL Open Font License 1.1, `api/assets/fonts/OFL.txt`), embedded and subset by
 * pdfkit. pdfkit's built-in standard fonts use WinAnsi encoding, which has no "ũ" (U+0169) or "ĩ": a
 * Kikuyu name such as "Wanjirũ" would come out wrong. The font ships with the repository so that the
 * pack looks the same on every machine, whatever fonts the OS has.
 *
 * Backpressure: pdfkit pushes output without waiting for its reader, so after each group of rows this
 * waits until the document's buffered output has drained below a bound before writing more. Pages are
 * flushed as they are finished (pdfkit's default without `bufferPages`), so memory stays flat.
 */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { Locale } from '@imlu/contracts';
import type { CampaignRecord } from '../campaigns/store.ts';
import { countyName, SIGNATORY, type ExportRecord, type ExportSummary } from './query.ts';

const FONT_REGULAR = fileURLToPath(new URL('../../assets/fonts/LiberationSans-Regular.ttf', import.meta.url));
const FONT_BOLD = fileURLToPath(new URL('../../assets/fonts/LiberationSans-Bold.ttf', import.meta.url));
const MAX_BUFFERED = 1 << 20;

const STRINGS = {
  en: {
    demands: 'Our demands',
    totals: 'Signatures',
    total: 'Total signatures in this pack',
    counted: 'Confirmed',
    pending: 'Not yet confirmed',
    period: 'Signed between',
    and: 'and',
    byCounty: 'Signatures by county',
    county: 'County',
    noCounty: 'No county given',
    count: 'Signatures',
    list: 'Signatories',
    number: 'No.',
    name: 'Name',
    date: 'Date',
    generated: 'Prepared on',
    privacy:
      'Signatories who did not agree to share their name with the recipients of this petition are listed as "Signatory" with their county. They are counted in every total.',
    page: 'Page',
    anonymised: (date: string) =>
      `The signatories' personal details were deleted on ${date}, when the campaign's retention period ended. This pack shows the confirmed totals only.`,
  },
  sw: {
    demands: 'Madai yetu',
    totals: 'Sahihi',
    total: 'Jumla ya sahihi katika kifurushi hiki',
    counted: 'Zilizothibitishwa',
    pending: 'Bado hazijathibitishwa',
    period: 'Zilitiwa kati ya',
    and: 'na',
    byCounty: 'Sahihi kwa kaunti',
    county: 'Kaunti',
    noCounty: 'Kaunti haikutajwa',
    count: 'Sahihi',
    list: 'Waliotia sahihi',
    number: 'Na.',
    name: 'Jina',
    date: 'Tarehe',
    generated: 'Imeandaliwa tarehe',
    privacy:
      'Waliotia sahihi ambao hawakukubali majina yao kushirikiwa na wapokeaji wa ombi hili wameorodheshwa kama "Mtia sahihi" pamoja na kaunti yao. Wamehesabiwa katika kila jumla.',
    page: 'Ukurasa',
    anonymised: (date: string) =>
      `Taarifa binafsi za waliotia sahihi zilifutwa tarehe ${date}, muda wa kuzihifadhi ulipokwisha. Kifurushi hiki kinaonyesha jumla zilizothibitishwa tu.`,
  },
} satisfies Record<Locale, Record<string, string | ((date: string) => string)>>;

export interface PdfOptions {
  campaign: CampaignRecord;
  summary: ExportSummary;
  locale: Locale;
  generatedAt: number;
  /** Filters shown on the cover, already described (e.g. a county). */
  scope?: string | undefined;
  /** Output bytes buffered before the writer waits for its reader; default 1 MiB (tests make it tiny). */
  maxBuffered?: number | undefined;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Returns the PDF document (a Readable) at once; pages are written as `records` are read. */
export function pdfStream(records: AsyncIterable<ExportRecord>, options: PdfOptions): PDFKit.PDFDocument {
  const { campaign, summary, locale } = options;
  const t = STRINGS[locale];
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: campaign.title[locale], Creator: 'IMLU Campaign SDK', CreationDate: new Date(options.generatedAt) },
    autoFirstPage: true,
  });
  doc.registerFont('body', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);

  void write().catch((error: unknown) => doc.destroy(error instanceof Error ? error : new Error(String(error))));
  return doc;

  async function drain() {
    while (doc.readableLength > (options.maxBuffered ?? MAX_BUFFERED) && !doc.destroyed) {
      // 'close' too: a reader that went away (an aborted download) must not leave this waiting forever.
      // Whichever event does not come is unsubscribed: before, its listeners stayed on the document, one
      // 'close' and one 'error' per wait, and a large pack printed Node's listener-leak warning (issue 15).
      const done = new AbortController();
      try {
        await Promise.race([once(doc, 'data', { signal: done.signal }), once(doc, 'close', { signal: done.signal })]);
      } finally {
        done.abort();
      }
    }
  }

  async function write() {
    const width = doc.page.width - 100;
    doc.font('bold').fontSize(18).text(campaign.title[locale], { width });
    doc.moveDown(0.5);
    doc.font('body').fontSize(10).fillColor('#444').text(`${t.generated} ${day(options.generatedAt)}${options.scope ? ` · ${options.scope}` : ''}`);
    doc.fillColor('black').moveDown();
    doc.fontSize(11).text(campaign.body[locale], { width, align: 'left' });
    if (campaign.demands.length) {
      doc.moveDown().font('bold').fontSize(13).text(t.demands).font('body').fontSize(11);
      campaign.demands.forEach((demand, index) => doc.text(`${index + 1}. ${demand.text[locale]}`, { width, indent: 0 }));
    }
    doc.moveDown().font('bold').fontSize(13).text(t.totals).font('body').fontSize(11);
    doc.text(`${t.total}: ${summary.total.toLocaleString('en-KE')}`);
    doc.text(`${t.counted}: ${summary.counted.toLocaleString('en-KE')}   ${t.pending}: ${summary.pending.toLocaleString('en-KE')}`);
    if (summary.firstAt !== null && summary.lastAt !== null) doc.text(`${t.period} ${day(summary.firstAt)} ${t.and} ${day(summary.lastAt)}`);
    doc.moveDown(0.5).fontSize(9).fillColor('#444').text(summary.anonymisedAt === null ? t.privacy : t.anonymised(day(summary.anonymisedAt)), { width }).fillColor('black');

    // Per-county table.
    doc.addPage();
    doc.font('bold').fontSize(13).text(t.byCounty).moveDown(0.5);
    const rows = [...summary.byCounty.entries()]
      .map(([code, n]) => ({ label: code ? `${countyName(code, locale)} (${code})` : t.noCounty, n }))
      .sort((a, b) => b.n - a.n || (a.label < b.label ? -1 : 1));
    tableRow([t.county, t.count], true);
    for (const row of rows) tableRow([row.label, row.n.toLocaleString('en-KE')], false);

    // Signature list: none once retention has deleted the rows.
    if (summary.anonymisedAt !== null) {
      doc.end();
      return;
    }
    doc.addPage();
    doc.font('bold').fontSize(13).text(t.list).moveDown(0.5);
    listHeader();
    let n = 0;
    for await (const record of records) {
      n += 1;
      if (doc.y > doc.page.height - 70) {
        doc.addPage();
        listHeader();
      }
      const y = doc.y;
      doc.font('body').fontSize(9);
      doc.text(String(n), 50, y, { width: 50 });
      doc.text(record.displayName || SIGNATORY[locale], 100, y, { width: 260, lineBreak: false, ellipsis: true });
      doc.text(record.countyName, 365, y, { width: 110, lineBreak: false, ellipsis: true });
      doc.text(day(record.createdAt), 480, y, { width: 70 });
      doc.x = 50;
      if (n % 200 === 0) {
        forgetLayouts();
        await drain();
      }
    }
    doc.end();
  }

  /**
   * pdfkit remembers the layout of every word it has set, per font, for the life of the document: with a
   * row number and a name per line that grew by ~1.5 KB a row (310 MB at 100,000 rows). Forgetting them
   * every 200 rows keeps the words that recur (county names, dates, headings) cheap and the memory flat.
   * Turning the cache off (`fontLayoutCache: false`) made a pack four times slower. `_fontFamilies` and
   * `layoutCache` are pdfkit's own fields (0.20): checked, so a pdfkit without them changes nothing.
   */
  function forgetLayouts() {
    const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: unknown }> })._fontFamilies;
    for (const font of Object.values(families ?? {})) if (font.layoutCache) font.layoutCache = Object.create(null);
  }

  function tableRow(cells: [string, string], header: boolean) {
    if (doc.y > doc.page.height - 70) doc.addPage();
    const y = doc.y;
    doc.font(header ? 'bold' : 'body').fontSize(10);
    doc.text(cells[0], 50, y, { width: 330 });
    doc.text(cells[1], 400, y, { width: 100, align: 'right' });
    doc.x = 50;
  }

  function listHeader() {
    const y = doc.y;
    doc.font('bold').fontSize(9);
    doc.text(t.number, 50, y, { width: 50 });
    doc.text(t.name, 100, y, { width: 260 });
    doc.text(t.county, 365, y, { width: 110 });
    doc.text(t.date, 480, y, { width: 70 });
    doc.x = 50;
    doc.moveDown(0.3);
  }
}
