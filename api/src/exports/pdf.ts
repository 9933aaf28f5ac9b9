/**
 * The delivery pack: a PDF for the officials a petition is addressed to.
 *
 * Cover letter: the addressee (a duty bearer from the board, `--to`), the sender (the campaign's
 * organisation and contact), the scope (a county, or a target's jurisdiction), what was done with
 * signatures not yet confirmed, then the campaign's title, body and demands, totals and date range, all in
 * the pack's language. Then a table of signatures per county and the signature list. A signer who did not
 * agree to share their name with the targets (`consent_share_with_targets` false) appears as "Signatory,
 * <county>" (or "Signatory") and is still counted. No contact data ever goes into the pack.
 *
 * Every name prints, in whatever script (fonts.ts): each table cell wraps inside its column and the row
 * grows to its tallest cell; a row that does not fit on the page goes whole to the next one, under the
 * column headings again.
 *
 * Every page carries "Page X of Y" in the pack's language. Y is not known until the last row is written,
 * and keeping every page until then (pdfkit's `bufferPages`) held the whole pack in memory: 490 MB and
 * 20 s for 20,000 rows, most of it the garbage collector. Instead each page draws "Page X of " and then
 * one form XObject shared by all pages, whose content (the number of pages) is written at the end, so
 * pages are still flushed as they are finished.
 *
 * Backpressure: pdfkit pushes output without waiting for its reader, so after each group of rows this
 * waits until the document's buffered output has drained below a bound before writing more.
 */
import { once } from 'node:events';
import PDFDocument from 'pdfkit';
import type { CountyCode, Locale } from '@imlu/contracts';
import type { CampaignRecord } from '../campaigns/store.ts';
import { lineHeight, PackTypesetter, type PackText, type Paragraph, type TextStyle } from './fonts.ts';
import type { PackOptions, PackTarget, PendingMode } from './pack-cover.ts';
import type { PackPledge } from '../pledges/figures.ts';
import { nairobiDate } from '../accountability/dates.ts';
import { countyName, SIGNATORY, type ExportRecord, type ExportSummary } from './query.ts';

const MAX_BUFFERED = 1 << 20;
const MARGIN = 50;
/** Room under the last row for the page number. */
const FOOTER = 24;

const STRINGS = {
  en: {
    to: 'To',
    from: 'From',
    scope: 'Scope',
    allCounties: 'All signatories, in every county',
    countyScope: (county: string) => `Signatories in ${county}`,
    noCountyScope: 'Signatories who gave no county',
    jurisdictionOf: (target: string) => `Signatories in the jurisdiction of ${target}`,
    wholeCountry: 'all of Kenya',
    pendingExcluded: 'Signatures not yet confirmed by their signer are not in this pack.',
    pendingMarked: 'Signatures not yet confirmed by their signer are included, marked "Not yet confirmed" in the list.',
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
    status: 'Status',
    generated: 'Prepared on',
    privacy:
      'Signatories who did not agree to share their name with the recipients of this petition are listed as "Signatory" with their county. They are counted in every total.',
    /** "Page X of"; the number of pages follows (see `numberPage`). */
    pageOf: (page: number) => `Page ${page} of`,
    anonymised: (date: string) =>
      `The signatories' personal details were deleted on ${date}, when the campaign's retention period ended. This pack shows the confirmed totals only.`,
    pledges: 'Pledged actions (whole campaign)',
    action: 'Action',
    pledged: 'Pledged',
    kept: 'Kept',
    pledgesNote: 'Pledged: supporters who pledged and have not said they cannot make it. Kept: reported done by the supporter or recorded as there by the campaign, once per person.',
  },
  sw: {
    to: 'Kwa',
    from: 'Kutoka',
    scope: 'Wigo',
    allCounties: 'Waliotia sahihi wote, katika kila kaunti',
    countyScope: (county: string) => `Waliotia sahihi katika kaunti ya ${county}`,
    noCountyScope: 'Waliotia sahihi ambao hawakutaja kaunti',
    jurisdictionOf: (target: string) => `Waliotia sahihi walio chini ya mamlaka ya ${target}`,
    wholeCountry: 'Kenya nzima',
    pendingExcluded: 'Sahihi ambazo bado hazijathibitishwa na waliozitia haziko katika kifurushi hiki.',
    pendingMarked: 'Sahihi ambazo bado hazijathibitishwa na waliozitia zimejumuishwa, na zimewekwa alama "Bado haijathibitishwa" katika orodha.',
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
    status: 'Hali',
    generated: 'Imeandaliwa tarehe',
    privacy:
      'Waliotia sahihi ambao hawakukubali majina yao kushirikiwa na wapokeaji wa ombi hili wameorodheshwa kama "Mtia sahihi" pamoja na kaunti yao. Wamehesabiwa katika kila jumla.',
    pageOf: (page: number) => `Ukurasa ${page} kati ya`,
    anonymised: (date: string) =>
      `Taarifa binafsi za waliotia sahihi zilifutwa tarehe ${date}, muda wa kuzihifadhi ulipokwisha. Kifurushi hiki kinaonyesha jumla zilizothibitishwa tu.`,
    pledges: 'Vitendo vilivyoahidiwa (kampeni nzima)',
    action: 'Kitendo',
    pledged: 'Walioahidi',
    kept: 'Walitimiza',
    pledgesNote: 'Walioahidi: wafuasi walioahidi na hawajasema hawataweza. Walitimiza: walioripoti kuwa wamefanya au waliorekodiwa na kampeni kuwa walikuwepo, mara moja kwa kila mtu.',
  },
} satisfies Record<Locale, Record<string, string | ((...args: never[]) => string)>>;

/** "Not yet confirmed" on a row, in the list's Status column. */
const PENDING_MARK: Record<Locale, string> = { en: 'Not yet confirmed', sw: 'Bado haijathibitishwa' };

export interface PdfOptions {
  campaign: CampaignRecord;
  summary: ExportSummary;
  locale: Locale;
  generatedAt: number;
  /** What the rows are: pending signatures left out by the query (`exclude`), or listed and marked. */
  pending: PendingMode;
  /** The county the rows were filtered to (a `--county`, a county body's jurisdiction, or a split's part). */
  county?: CountyCode | null | undefined;
  pack?: PackOptions | undefined;
  /** A pledge campaign's actions with their figures (whole campaign), in a small table on the cover. */
  pledges?: readonly PackPledge[] | undefined;
  /** Output bytes buffered before the writer waits for its reader; default 1 MiB (tests make it tiny). */
  maxBuffered?: number | undefined;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const FOOTER_STYLE: TextStyle = { size: 8, color: '#444' };
const SPACE: PackText = { text: ' ', runs: [{ start: 0, end: 1, font: 'latin' }], rtl: false };

interface Column {
  x: number;
  width: number;
  align?: 'right';
}

/** Returns the PDF document (a Readable) at once; it is written as `records` are read. */
export function pdfStream(records: AsyncIterable<ExportRecord>, options: PdfOptions): PDFKit.PDFDocument {
  const { campaign, summary, locale } = options;
  const t = STRINGS[locale];
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: campaign.title[locale], Creator: 'IMLU Campaign SDK', CreationDate: new Date(options.generatedAt) },
    autoFirstPage: true,
  });
  const type = new PackTypesetter(doc);
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - FOOTER;
  const marked = options.pending === 'mark';
  const pageCount = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [0, -4, 100, 12] });
  let pages = 0;
  numberPage();
  doc.on('pageAdded', numberPage);
  const columns: Record<'number' | 'name' | 'county' | 'date' | 'status', Column> = marked
    ? { number: { x: 50, width: 40 }, name: { x: 95, width: 190 }, county: { x: 290, width: 100 }, date: { x: 395, width: 60 }, status: { x: 460, width: 85 } }
    : { number: { x: 50, width: 40 }, name: { x: 95, width: 250 }, county: { x: 350, width: 115 }, date: { x: 470, width: 75 }, status: { x: 545, width: 0 } };

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

  /** A paragraph across the page width (or from `indent`), continued on a new page when it runs out. */
  function flow(text: string, style: TextStyle, after = 0, indent = 0) {
    const paragraph = type.paragraph(text, width - indent, style);
    const lh = lineHeight(style.size);
    for (let i = 0; i < paragraph.lines.length; i++) {
      if (doc.y + lh > bottom()) doc.addPage();
      type.drawLine(paragraph, i, MARGIN + indent, doc.y, width - indent);
      doc.y += lh;
    }
    doc.y += after;
  }

  /** A labelled block of the cover ("To", "From", "Scope"): the label, then its lines, indented. */
  function block(label: string, lines: string[]) {
    if (!lines.length) return;
    flow(label, { size: 10, bold: true, color: '#444' });
    lines.forEach((line, index) => flow(line, { size: 11, bold: index === 0 }, index === lines.length - 1 ? 8 : 0, 12));
  }

  function targetLines(target: PackTarget): string[] {
    return [target.name[locale], target.office?.[locale], target.institution?.[locale]].filter((line): line is string => Boolean(line));
  }

  function scopeText(): string {
    const jurisdiction = options.pack?.jurisdiction;
    if (jurisdiction) {
      const where = jurisdiction.county ? `${countyName(jurisdiction.county, locale)} (${jurisdiction.county})` : t.wholeCountry;
      return `${t.jurisdictionOf(targetLines(jurisdiction).join(', '))}: ${where}`;
    }
    if (options.county === null) return t.noCountyScope;
    if (options.county) return t.countyScope(`${countyName(options.county, locale)} (${options.county})`);
    return t.allCounties;
  }

  async function write() {
    flow(campaign.title[locale], { size: 18, bold: true }, 4);
    flow(`${t.generated} ${day(options.generatedAt)}`, { size: 10, color: '#444' }, 12);
    if (options.pack?.to) block(t.to, targetLines(options.pack.to));
    block(t.from, [campaign.senderOrganisation, campaign.senderContact].filter((line): line is string => Boolean(line)));
    block(t.scope, [scopeText()]);
    flow(marked ? t.pendingMarked : t.pendingExcluded, { size: 10 }, 14);
    for (const paragraph of campaign.body[locale].split(/\n\s*\n|\n/)) if (paragraph.trim()) flow(paragraph, { size: 11 }, 6);
    if (campaign.demands.length) {
      doc.y += 8;
      flow(t.demands, { size: 13, bold: true }, 4);
      campaign.demands.forEach((demand, index) => flow(`${index + 1}. ${demand.text[locale]}`, { size: 11 }, 2));
    }
    doc.y += 10;
    flow(t.totals, { size: 13, bold: true }, 4);
    flow(`${t.total}: ${summary.total.toLocaleString('en-KE')}`, { size: 11 });
    flow(`${t.counted}: ${summary.counted.toLocaleString('en-KE')}   ${t.pending}: ${summary.pending.toLocaleString('en-KE')}`, { size: 11 });
    if (summary.firstAt !== null && summary.lastAt !== null) flow(`${t.period} ${day(summary.firstAt)} ${t.and} ${day(summary.lastAt)}`, { size: 11 });
    doc.y += 6;
    flow(summary.anonymisedAt === null ? t.privacy : t.anonymised(day(summary.anonymisedAt)), { size: 9, color: '#444' });
    if (options.pledges?.length) {
      doc.y += 10;
      flow(t.pledges, { size: 13, bold: true }, 4);
      const pledgeColumns: Column[] = [
        { x: 50, width: 290 },
        { x: 350, width: 70, align: 'right' },
        { x: 430, width: 70, align: 'right' },
      ];
      const pledgeHeader = () => row(pledgeColumns, [t.action, t.pledged, t.kept], true);
      pledgeHeader();
      for (const p of options.pledges) {
        const title = `${p.position}. ${p.title[locale]}${p.startsAt ? ` (${nairobiDate(Date.parse(p.startsAt))})` : ''}`;
        row(pledgeColumns, [title, p.pledged.toLocaleString('en-KE'), p.kept.toLocaleString('en-KE')], false, pledgeHeader);
      }
      doc.y += 4;
      flow(t.pledgesNote, { size: 9, color: '#444' });
    }

    // Per-county table.
    doc.addPage();
    flow(t.byCounty, { size: 13, bold: true }, 6);
    const counties = [...summary.byCounty.entries()]
      .map(([code, n]) => ({ label: code ? `${countyName(code, locale)} (${code})` : t.noCounty, n }))
      .sort((a, b) => b.n - a.n || (a.label < b.label ? -1 : 1));
    const countyColumns: Column[] = [
      { x: 50, width: 330 },
      { x: 400, width: 100, align: 'right' },
    ];
    const countyHeader = () => row(countyColumns, [t.county, t.count], true);
    countyHeader();
    for (const county of counties) row(countyColumns, [county.label, county.n.toLocaleString('en-KE')], false, countyHeader);

    // Signature list: none once retention has deleted the rows.
    if (summary.anonymisedAt === null) {
      doc.addPage();
      flow(t.list, { size: 13, bold: true }, 6);
      const listColumns = [columns.number, columns.name, columns.county, columns.date, ...(marked ? [columns.status] : [])];
      const listHeader = () => row(listColumns, [t.number, t.name, t.county, t.date, ...(marked ? [t.status] : [])], true);
      listHeader();
      let n = 0;
      for await (const record of records) {
        n += 1;
        const cells = [String(n), record.displayName || SIGNATORY[locale], record.countyName, day(record.createdAt)];
        if (marked) cells.push(record.status === 'pending' ? PENDING_MARK[locale] : '');
        row(listColumns, cells, false, listHeader);
        if (n % 200 === 0) {
          forgetLayouts();
          await drain();
        }
      }
    }
    finishPageCount();
    doc.end();
  }

  /**
   * One table row: every cell wrapped inside its column, the row as tall as its tallest cell, and a thin
   * rule under it. A row that does not fit goes whole onto a new page, after `header` (the headings).
   */
  function row(cols: Column[], cells: string[], header: boolean, repeatHeader?: () => void) {
    const style: TextStyle = { size: 9, bold: header };
    const lh = lineHeight(style.size);
    const paragraphs: Paragraph[] = cells.map((cell, i) => type.paragraph(cell, cols[i]!.width, style));
    const height = Math.max(1, ...paragraphs.map((p) => p.lines.length)) * lh + 4;
    if (doc.y + height > bottom()) {
      doc.addPage();
      repeatHeader?.();
    }
    const top = doc.y;
    paragraphs.forEach((paragraph, i) => {
      const col = cols[i]!;
      for (let line = 0; line < paragraph.lines.length; line++) type.drawLine(paragraph, line, col.x, top + 2 + line * lh, col.width, col.align === 'right' ? 'right' : 'start');
    });
    const last = cols[cols.length - 1]!;
    doc
      .moveTo(MARGIN, top + height)
      .lineTo(last.x + last.width, top + height)
      .lineWidth(header ? 0.8 : 0.3)
      .strokeColor(header ? '#444' : '#bbb')
      .stroke()
      .strokeColor('black');
    doc.y = top + height;
    doc.x = MARGIN;
  }

  /** "Page X of " at the foot of the page just begun, then the shared form that will hold Y. */
  function numberPage() {
    pages += 1;
    type.pageStarted();
    const footer = type.paragraph(t.pageOf(pages), width, FOOTER_STYLE);
    const top = doc.page.height - MARGIN - 8;
    type.drawLine(footer, 0, MARGIN, top, width);
    const x = MARGIN + type.measure(footer.prepared, 0, footer.prepared.text.length, FOOTER_STYLE.size) + type.measure(SPACE, 0, 1, FOOTER_STYLE.size);
    (doc.page as unknown as { xobjects: Record<string, unknown> }).xobjects['ImluPages'] = pageCount;
    // The page's space is flipped (y down); the form's is not: flip it back at the baseline.
    doc.addContent(`q 1 0 0 -1 ${x.toFixed(3)} ${(top + FOOTER_STYLE.size * 1.1).toFixed(3)} cm /ImluPages Do Q`);
  }

  /** Writes Y into the form every page shows, in the footer's font (its digits go into the subset). */
  function finishPageCount() {
    const font = type.encode(String(pages), FOOTER_STYLE);
    (pageCount.data as Record<string, unknown>)['Resources'] = { Font: { [font.id]: font.ref } };
    pageCount.end(`0.267 0.267 0.267 rg BT /${font.id} ${FOOTER_STYLE.size} Tf 0 0 Td <${font.glyphs.join('')}> Tj ET`);
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
    type.forget();
  }
}
