/**
 * Text in the delivery pack in any script a Kenyan signer may write their name in: the fonts, which font
 * sets which character, line breaking inside a cell, and right-to-left order.
 *
 * Fonts (all SIL Open Font License 1.1), embedded and subset by pdfkit, so a pack carries only the glyphs
 * it uses and looks the same on every machine:
 * - Latin, Greek, Cyrillic, Hebrew: Liberation Sans 2 (`api/assets/fonts`), regular and bold;
 * - Arabic script: Noto Sans Arabic (`@expo-google-fonts/noto-sans-arabic`, static TrueType);
 * - Ge'ez (Amharic, Tigrinya): Noto Sans Ethiopic (`@fontsource/noto-sans-ethiopic`, the WOFF of the
 *   whole Ethiopic range; not its WOFF2, whose glyphs fontkit's subsetter copies out still transformed, so
 *   they printed blank);
 * - Devanagari: Noto Sans Devanagari (`@expo-google-fonts/noto-sans-devanagari`);
 * - Chinese (and the kana and CJK punctuation it covers): Noto Sans SC (`@expo-google-fonts/noto-sans-sc`),
 *   a whole 10 MB font: web font packages cut CJK into unicode-range slices that could not be embedded as
 *   one font.
 * A font is read from disk only when a character in its Unicode blocks comes along, so a pack without a
 * Chinese name never reads the Chinese font; once read, a font stays in memory for the process.
 *
 * fontkit (pdfkit's font engine) shapes Arabic joining forms and Devanagari conjuncts, and lays a
 * right-to-left run out right to left. Mixed lines (an Arabic name with Latin digits) are ordered with the
 * Unicode bidirectional algorithm (bidi-js) here, run by run. Shaped runs carry their text as
 * `/ActualText` in logical order: Noto's Arabic builds letters from shared skeletons and dots, and a
 * Devanagari vowel sign can stand before its consonant, so no glyph-to-character map could give the text
 * back, and copying a name out of the pack must give the name.
 *
 * Nothing prints as an empty box: fullwidth and halfwidth forms (`＝`) become their ordinary characters
 * (NFKC, only for that block), tabs, line breaks and other control characters become spaces, invisible
 * format characters go, and a character no font has is shown as its code, e.g. `[U+1F33B]`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import bidiFactory, { type EmbeddingLevels } from 'bidi-js';
import * as fontkit from 'fontkit';

export type FontKey = 'latin' | 'latinBold' | 'arabic' | 'ethiopic' | 'devanagari' | 'cjk';

const require = createRequire(import.meta.url);

interface FontSource {
  file: () => string;
  /** The Unicode blocks this font is for; a character outside them never loads the font. */
  blocks: RegExp;
  /** Shaped scripts whose glyphs do not map back to characters one by one: the run carries /ActualText. */
  shaped: boolean;
}

const ANY = /[^]/u;
const SOURCES: Record<FontKey, FontSource> = {
  latin: { file: () => fileURLToPath(new URL('../../assets/fonts/LiberationSans-Regular.ttf', import.meta.url)), blocks: ANY, shaped: false },
  latinBold: { file: () => fileURLToPath(new URL('../../assets/fonts/LiberationSans-Bold.ttf', import.meta.url)), blocks: ANY, shaped: false },
  arabic: {
    file: () => require.resolve('@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf'),
    blocks: /[\p{Z}\p{P}\u0600-\u06FF\u0750-\u077F\u0870-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]|\u200C|\u200D/u,
    shaped: true,
  },
  ethiopic: {
    file: () => require.resolve('@fontsource/noto-sans-ethiopic/files/noto-sans-ethiopic-ethiopic-400-normal.woff'),
    blocks: /[\p{Z}\u1200-\u139F\u2D80-\u2DDF\uAB00-\uAB2F\u{1E7E0}-\u{1E7FF}]/u,
    shaped: false,
  },
  devanagari: {
    file: () => require.resolve('@expo-google-fonts/noto-sans-devanagari/400Regular/NotoSansDevanagari_400Regular.ttf'),
    blocks: /[\p{Z}\p{P}\u0900-\u097F]|[\uA8E0-\uA8FF]|[\u1CD0-\u1CFF]|\u200C|\u200D/u,
    shaped: true,
  },
  cjk: {
    file: () => require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
    blocks: /[\u2E80-\u2FDF\u3000-\u30FF\u3100-\u312F\u3190-\u31FF\u3200-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\u{20000}-\u{3134F}]/u,
    shaped: false,
  },
};

/** The order in which fonts are tried for a character that the previous run's font does not have. */
const FALLBACK: FontKey[] = ['arabic', 'ethiopic', 'devanagari', 'cjk'];

interface LoadedFont {
  data: Buffer;
  font: fontkit.Font;
}
const loaded = new Map<FontKey, LoadedFont>();

function load(key: FontKey): LoadedFont {
  let entry = loaded.get(key);
  if (!entry) {
    const data = readFileSync(SOURCES[key].file());
    entry = { data, font: fontkit.create(data) as fontkit.Font };
    loaded.set(key, entry);
  }
  return entry;
}

/** Which fonts this process has read so far (the Chinese one only after a Chinese character). */
export function loadedFonts(): FontKey[] {
  return [...loaded.keys()];
}

const covers = (key: FontKey, cp: number) => SOURCES[key].blocks.test(String.fromCodePoint(cp)) && load(key).font.hasGlyphForCodePoint(cp);

const fontCache = new Map<number, FontKey | null>();
/** The font for a character on its own: Liberation Sans when it has it, else the first script font that does. */
function fontFor(cp: number, bold: boolean): FontKey | null {
  const base: FontKey = bold ? 'latinBold' : 'latin';
  const key = bold ? -cp - 1 : cp;
  let found = fontCache.get(key);
  if (found === undefined) {
    found = covers(base, cp) ? base : (FALLBACK.find((k) => covers(k, cp)) ?? null);
    fontCache.set(key, found);
  }
  return found;
}

/** Spaces, punctuation and combining marks stay in the font of the run they are in, when it has them. */
const STICKY = /[\p{Z}\p{P}\p{M}\u200C\u200D]/u;
/** Invisible format characters and variation selectors, which no font needs drawn (ZWJ/ZWNJ shape, and stay). */
const DROP = /[\p{Cf}\uFE00-\uFE0F](?<![\u200C\u200D])/u;
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const FULLWIDTH = /[\uFF01-\uFFEE]/gu;
const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

export interface FontRun {
  start: number;
  end: number;
  font: FontKey;
}

/** A string made printable, split into runs of one font each (logical order). */
export interface PackText {
  text: string;
  runs: FontRun[];
  /** Whether bidi reordering is needed (any right-to-left character). */
  rtl: boolean;
}

/**
 * Normalises `input` for print and picks a font per character: see the module comment. Whitespace runs
 * collapse to one space; the result is trimmed.
 */
export function prepareText(input: string, bold = false): PackText {
  const source = input
    .replace(FULLWIDTH, (c) => c.normalize('NFKC'))
    .normalize('NFC');
  let text = '';
  const runs: FontRun[] = [];
  let pendingSpace = false;
  const push = (piece: string, font: FontKey) => {
    if (pendingSpace && text) {
      const last = runs[runs.length - 1]!;
      // The space goes with the run before it when that font has one.
      if (covers(last.font, 0x20)) last.end += 1;
      else runs.push({ start: text.length, end: text.length + 1, font: bold ? 'latinBold' : 'latin' });
      text += ' ';
    }
    pendingSpace = false;
    const last = runs[runs.length - 1];
    if (last && last.font === font && last.end === text.length) last.end += piece.length;
    else runs.push({ start: text.length, end: text.length + piece.length, font });
    text += piece;
  };
  for (const ch of source) {
    if (CONTROL.test(ch) || /\s/u.test(ch)) {
      pendingSpace = true;
      continue;
    }
    if (DROP.test(ch)) continue;
    const cp = ch.codePointAt(0)!;
    const previous = runs[runs.length - 1]?.font;
    if (previous && STICKY.test(ch) && covers(previous, cp)) {
      push(ch, previous);
      continue;
    }
    const font = fontFor(cp, bold);
    if (font) push(ch, font);
    else if (ch === '\u200C' || ch === '\u200D') continue;
    else push(`[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`, bold ? 'latinBold' : 'latin');
  }
  return { text, runs, rtl: RTL_CHAR.test(text) };
}

const bidi = bidiFactory();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
}

/** One line of a wrapped paragraph: `[start, end)` of its `PackText`, trailing space excluded. */
interface LineRange {
  start: number;
  end: number;
}

export interface Paragraph {
  prepared: PackText;
  lines: LineRange[];
  levels: EmbeddingLevels | null;
  style: TextStyle;
}

/** Line height for a font size: room for Devanagari's headline and Arabic's descenders. */
export const lineHeight = (size: number) => Math.ceil(size * 1.45);

/**
 * Writes prepared text on a pdfkit document: measures, wraps within a width, and draws line by line with
 * bidi order and a font per run. Fonts are registered with the document when first used.
 */
export class PackTypesetter {
  readonly #doc: PDFKit.PDFDocument;
  readonly #registered = new Set<FontKey>();
  /** The fill colour last set: pdfkit writes a colour operator (and parses the colour) on every call. */
  #color = '';
  /** Widths of recent strings per font and size; emptied with `forget()`. */
  #widths = new Map<string, number>();

  constructor(doc: PDFKit.PDFDocument) {
    this.#doc = doc;
  }

  #use(font: FontKey, size: number) {
    if (!this.#registered.has(font)) {
      this.#doc.registerFont(font, load(font).data);
      this.#registered.add(font);
    }
    this.#doc.font(font).fontSize(size);
  }

  /**
   * Glyph ids (hex) of Latin text in the regular or bold font, with the font's resource name and
   * reference, for content written outside pdfkit's text calls (the pack's page count form).
   */
  encode(text: string, style: TextStyle): { id: string; ref: unknown; glyphs: string[] } {
    this.#use(style.bold ? 'latinBold' : 'latin', style.size);
    const font = (this.#doc as unknown as { _font: { id: string; ref(): unknown; encode(text: string): [string[], unknown] } })._font;
    return { id: font.id, ref: font.ref(), glyphs: font.encode(text)[0] };
  }

  /** A new page starts with the default colour: the next line sets its own. */
  pageStarted(): void {
    this.#color = '';
  }

  /** Forgets the widths measured so far (the pack calls it with pdfkit's own layout cache, every 200 rows). */
  forget(): void {
    this.#widths.clear();
  }

  /** Width of `[start, end)` of a prepared text. */
  measure(prepared: PackText, start: number, end: number, size: number): number {
    let width = 0;
    for (const run of prepared.runs) {
      const a = Math.max(run.start, start);
      const b = Math.min(run.end, end);
      if (a >= b) continue;
      const piece = prepared.text.slice(a, b);
      const key = `${run.font}\u0000${size}\u0000${piece}`;
      let w = this.#widths.get(key);
      if (w === undefined) {
        this.#use(run.font, size);
        w = this.#doc.widthOfString(piece);
        this.#widths.set(key, w);
      }
      width += w;
    }
    return width;
  }

  /**
   * Breaks the text into lines no wider than `width`: at spaces, and inside a word (between grapheme
   * clusters, so a conjunct or a letter with its marks stays whole) only when the word alone is too wide,
   * as a long name without spaces or a Chinese name is.
   */
  paragraph(input: string, width: number, style: TextStyle): Paragraph {
    const prepared = prepareText(input, style.bold);
    const { text } = prepared;
    const lines: LineRange[] = [];
    const levels = prepared.rtl ? bidi.getEmbeddingLevels(text) : null;
    // Most cells (a short name, a county, a date) fit on one line: measured once, whole.
    if (!text || this.measure(prepared, 0, text.length, style.size) <= width) {
      if (text) lines.push({ start: 0, end: text.length });
      return { prepared, lines, levels, style };
    }
    const space = text.includes(' ') ? this.measure({ text: ' ', runs: [{ start: 0, end: 1, font: style.bold ? 'latinBold' : 'latin' }], rtl: false }, 0, 1, style.size) : 0;
    let lineStart = 0;
    let lineEnd = 0;
    let lineWidth = 0;
    let at = 0;
    while (at < text.length) {
      let wordEnd = text.indexOf(' ', at);
      if (wordEnd === -1) wordEnd = text.length;
      const wordWidth = this.measure(prepared, at, wordEnd, style.size);
      const gap = lineEnd > lineStart ? space : 0;
      if (lineEnd > lineStart && lineWidth + gap + wordWidth > width) {
        lines.push({ start: lineStart, end: lineEnd });
        lineStart = lineEnd = at;
        lineWidth = 0;
      }
      if (lineEnd === lineStart && wordWidth > width) {
        // A word wider than the cell: as many grapheme clusters per line as fit.
        for (const { index, segment } of graphemes.segment(text.slice(at, wordEnd))) {
          const from = at + index;
          const w = this.measure(prepared, from, from + segment.length, style.size);
          if (lineEnd > lineStart && lineWidth + w > width) {
            lines.push({ start: lineStart, end: lineEnd });
            lineStart = from;
            lineWidth = 0;
          }
          lineEnd = from + segment.length;
          lineWidth += w;
        }
      } else {
        lineWidth += (lineEnd > lineStart ? space : 0) + wordWidth;
        lineEnd = wordEnd;
      }
      at = wordEnd + 1;
    }
    if (lineEnd > lineStart) lines.push({ start: lineStart, end: lineEnd });
    return { prepared, lines, levels, style };
  }

  /** Whether the paragraph reads right to left (its first strong character is Arabic or Hebrew). */
  isRtl(paragraph: Paragraph): boolean {
    return (paragraph.levels?.paragraphs[0]?.level ?? 0) % 2 === 1;
  }

  /**
   * Draws line `index` with its top at `y`, inside `[x, x + width]`: left-aligned, or right-aligned for a
   * right-to-left paragraph (or with `align: 'right'`).
   */
  drawLine(paragraph: Paragraph, index: number, x: number, y: number, width: number, align: 'start' | 'right' = 'start') {
    const line = paragraph.lines[index];
    if (!line) return;
    const { prepared, style } = paragraph;
    const pieces = this.#visualRuns(paragraph, line);
    const widths = pieces.length === 1 && align === 'start' && !paragraph.levels ? [0] : pieces.map((piece) => this.measure(prepared, piece.start, piece.end, style.size));
    let cursor = align === 'right' || this.isRtl(paragraph) ? x + width - widths.reduce((a, b) => a + b, 0) : x;
    const baseline = y + style.size * 1.1;
    const doc = this.#doc;
    // pdfkit's text() moves the cursor; a cell's lines are placed by the caller, so it is put back.
    const { x: savedX, y: savedY } = doc;
    const color = style.color ?? 'black';
    if (color !== this.#color) {
      doc.fillColor(color);
      this.#color = color;
    }
    for (const [index, piece] of pieces.entries()) {
      const logical = prepared.text.slice(piece.start, piece.end);
      const w = widths[index]!;
      if (logical.trim()) {
        this.#use(piece.font, style.size);
        if (piece.font === 'arabic' && this.#glyphs(piece.draw, cursor, baseline, style.size, logical)) {
          // Drawn letter by letter, each with its own text (see #glyphs).
        } else if (SOURCES[piece.font].shaped) {
          doc.markContent('Span', { actual: logical });
          this.#glyphs(piece.draw, cursor, baseline, style.size);
          doc.endMarkedContent();
        } else doc.text(piece.draw, cursor, baseline, { lineBreak: false, baseline: 'alphabetic' });
      }
      cursor += w;
    }
    doc.x = savedX;
    doc.y = savedY;
  }

  /**
   * A shaped run's glyphs, each placed by its own text matrix in pdfkit's top-down page space (the matrix
   * flips the glyph upright). pdfkit sets text with the page flipped back and the position in bottom-up
   * units; poppler (pdftotext, Evince) places an /ActualText span by the text matrix's position alone,
   * which put an Arabic or Devanagari name rows away from its row. Same glyphs and positions as pdfkit
   * would set (fontkit's), one `Tm` per glyph for the marks' offsets.
   */
  #glyphs(text: string, x: number, baseline: number, size: number, rtlLetters?: string): boolean {
    const doc = this.#doc as unknown as PDFKit.PDFDocument & {
      _font: {
        id: string;
        ref(): unknown;
        encode(text: string): [string[], { xAdvance: number; xOffset: number; yOffset: number }[]];
        layout(text: string): { glyphs: { codePoints: number[] }[] };
      };
      page: { fonts: Record<string, unknown> };
    };
    const font = doc._font;
    const [encoded, positions] = font.encode(text);
    // With `rtlLetters` (an Arabic run's text in logical order), each letter's glyphs carry that letter as
    // /ActualText, at its own place: a reader that orders text by position (poppler's pdftotext, Evince)
    // then reads the name right to left as written. (One span for the whole word came out of pdftotext with
    // its letters reversed.) The glyph's own character cannot be asked of fontkit: its glyphs are cached per
    // id, and Noto draws reh and zain on one skeleton (zain adds a dot glyph). So the letters are matched to
    // the glyphs that advance, in reverse, with the dots and vowel marks (no advance) joining the letter
    // drawn after them. Where the counts differ (a lam-alef ligature), the caller marks the whole run.
    let letters: string[] | undefined;
    if (rtlLetters !== undefined) {
      const spaces = font.layout(text).glyphs.map((glyph) => glyph.codePoints.length > 0 && glyph.codePoints.every((cp) => /\s/.test(String.fromCodePoint(cp))));
      const wanted = [...rtlLetters].filter((letter) => !/\s/.test(letter)).reverse();
      const bases = positions.filter((p, i) => p.xAdvance > 0 && !spaces[i]).length;
      if (spaces.length !== encoded.length || bases !== wanted.length) return false;
      letters = [];
      let next = 0;
      positions.forEach((p, i) => letters!.push(p.xAdvance > 0 && !spaces[i] ? wanted[next++]! : ''));
    }
    doc.page.fonts[font.id] = font.ref();
    const scale = size / 1000;
    const num = (v: number) => String(Math.round(v * 1000) / 1000);
    const ops = ['BT', `/${font.id} ${num(size)} Tf`];
    // Where each glyph goes, in drawing order; then drawn letter by letter when `letters` (a letter's glyph
    // first, so that a reader places the letter where it is, then the marks drawn before it).
    const place: string[] = [];
    let cursor = x;
    encoded.forEach((glyph, i) => {
      const p = positions[i]!;
      place.push(`1 0 0 -1 ${num(cursor + p.xOffset * scale)} ${num(baseline - p.yOffset * scale)} Tm <${glyph}> Tj`);
      cursor += p.xAdvance * scale;
    });
    let marks: string[] = [];
    place.forEach((op, i) => {
      if (!letters) return void ops.push(op);
      if (letters[i]) {
        ops.push(`/Span <</ActualText <FEFF${Buffer.from(letters[i], 'utf16le').swap16().toString('hex')}>>> BDC`, op, 'EMC');
        if (marks.length) ops.push('/Artifact BMC', ...marks, 'EMC');
        marks = [];
      } else if (positions[i]!.xAdvance === 0) marks.push(op);
      else ops.push(op);
    });
    if (marks.length) ops.push('/Artifact BMC', ...marks, 'EMC');
    ops.push('ET');
    doc.addContent(ops.join('\n'));
    return true;
  }

  /** The line's runs in visual order, each with the string to hand to fontkit. */
  #visualRuns(paragraph: Paragraph, line: LineRange): { start: number; end: number; font: FontKey; draw: string }[] {
    const { prepared, levels } = paragraph;
    const fontAt = (i: number) => prepared.runs.find((r) => r.start <= i && i < r.end)!.font;
    if (!levels) {
      return prepared.runs
        .filter((r) => r.end > line.start && r.start < line.end)
        .map((r) => {
          const start = Math.max(r.start, line.start);
          const end = Math.min(r.end, line.end);
          return { start, end, font: r.font, draw: prepared.text.slice(start, end) };
        });
    }
    const text = prepared.text;
    // Visual order of the line's UTF-16 units; a surrogate pair is reversed back into place below.
    const order = Array.from({ length: line.end - line.start }, (_, i) => line.start + i);
    for (const [a, b] of bidi.getReorderSegments(text, levels, line.start, line.end - 1)) {
      const part = order.slice(a - line.start, b - line.start + 1).reverse();
      order.splice(a - line.start, part.length, ...part);
    }
    const mirrored = bidi.getMirroredCharactersMap(text, levels.levels, line.start, line.end - 1);
    const runs: { start: number; end: number; font: FontKey; level: number }[] = [];
    for (const i of order) {
      const level = levels.levels[i]!;
      const font = fontAt(i);
      const last = runs[runs.length - 1];
      const step = level % 2 ? -1 : 1;
      // A space is a run of its own: pdfkit lays text out word by word, and fontkit would reverse each
      // word of a right-to-left run on its own, not the run.
      const joins = text[i] !== ' ' && last !== undefined && text[step === 1 ? last.end - 1 : last.start] !== ' ';
      if (last && joins && last.font === font && last.level === level && (step === 1 ? last.end === i : last.start === i + 1)) {
        if (step === 1) last.end = i + 1;
        else last.start = i;
      } else runs.push({ start: i, end: i + 1, font, level });
    }
    return runs.map((run) => {
      // At a right-to-left level brackets are mirrored ("(" shows as ")"; fontkit does not do it). fontkit
      // lays a word of a right-to-left script out right to left itself; anything else at such a level (a
      // bracket or dash on its own; digits are at an even level) is reversed here.
      let draw = '';
      for (let i = run.start; i < run.end; i++) draw += (run.level % 2 ? mirrored.get(i) : undefined) ?? text[i];
      if (run.level % 2 && !RTL_CHAR.test(draw)) draw = [...draw].reverse().join('');
      return { start: run.start, end: run.end, font: run.font, draw };
    });
  }
}
