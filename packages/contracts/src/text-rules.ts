/**
 * What free text a signer sends may hold. A name ends up in a CSV a campaigner opens in a spreadsheet,
 * in a PDF handed to officials and on a terminal; a character that is not part of the text itself can
 * split a CSV row, start a formula, reverse what a reader sees (bidi overrides) or drive a terminal
 * (ANSI escapes). The schemas (`./schemas.ts`) apply these rules after trimming and NFC normalisation,
 * so "Wanjirũ" typed with a precomposed `ũ` and with `u` + U+0303 is one name.
 */

/** C0 and C1 controls: NUL, TAB, LF, CR, ESC (ANSI sequences) … */
const CONTROL = /\p{Cc}/u;
const CONTROL_OTHER_THAN_LF = /(?!\n)\p{Cc}/u;
/** U+2028 and U+2029 are line breaks to many tools, though not controls. */
const LINE_SEPARATOR = /[\u2028\u2029]/u;
/** Embeddings, overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI). The marks LRM, RLM and
 * ALM stay allowed: they only nudge neutral characters and occur in real right-to-left text. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/**
 * A letter that is not itself invisible. ZWJ/ZWNJ, zero-width spaces and combining marks are no letters
 * (\p{L}); the Hangul fillers (U+3164 …) are letters that render as nothing, hence the lookahead.
 */
const VISIBLE_LETTER = /(?!\p{Default_Ignorable_Code_Point})\p{L}/u;
/**
 * A spreadsheet runs a cell starting with = + - @ as a formula (their full-width forms too, by
 * csv-stringify's findings with Apple Numbers), and one that trims or ignores what comes before would
 * run it behind whitespace of any kind, format characters (zero-width space, BOM …), controls or other
 * default-ignorable code points. LibreOffice 7.4 does not; the rule does not bet on every reader.
 */
const FORMULA_AFTER_INVISIBLE = /^[\s\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;
/** Spam: names carrying a web address. */
const URL_LIKE = /(?:https?:\/\/|www\.|\b[a-z0-9-]+\.(?:com|net|org|ke|co|io|info|biz|xyz|ru|top)\b)/i;

/** True when `value` would start a spreadsheet formula, even behind invisible characters. */
export function startsLikeFormula(value: string): boolean {
  return FORMULA_AFTER_INVISIBLE.test(value);
}

/** One line of plain text: no controls, no line breaks, no bidi overrides or isolates. */
export function isPlainLine(value: string): boolean {
  return !CONTROL.test(value) && !LINE_SEPARATOR.test(value) && !BIDI_CONTROL.test(value);
}

/** Plain text over several lines: like `isPlainLine`, but `\n` may stay (see `normaliseLineBreaks`). */
export function isPlainMultiline(value: string): boolean {
  return !CONTROL_OTHER_THAN_LF.test(value) && !BIDI_CONTROL.test(value);
}

/** `\r\n`, `\r`, U+2028 and U+2029 as `\n`: a browser posts a textarea's line breaks as CRLF. */
export function normaliseLineBreaks(value: string): string {
  return value.replace(/\r\n?|[\u2028\u2029]/g, '\n');
}

/**
 * A name a person goes by: one plain line with at least one visible letter, not starting like a
 * formula, with no web address. Apostrophes, hyphens, digits after a letter and ZWJ/ZWNJ inside (as
 * Persian and Indic names need) are fine.
 */
export function isPlainName(name: string): boolean {
  return isPlainLine(name) && VISIBLE_LETTER.test(name) && !startsLikeFormula(name) && !URL_LIKE.test(name);
}
