/**
 * The names of Kenya's 47 counties in English and Kiswahili, in ISO 3166-2:KE order: entry `i` is county
 * `KE-<i+1>` (`KE-01` Baringo … `KE-47` West Pokot). A second name is given only where Kiswahili differs.
 *
 * Kept apart from `counties.ts` so that the widget, whose bundle budget is tight, carries the names and
 * nothing else (no constitutional codes or Open Civic Data ids).
 */
import type { Locale } from './locale.ts';

export const COUNTY_NAMES: readonly (readonly [en: string, sw?: string])[] = [
  ['Baringo'],
  ['Bomet'],
  ['Bungoma'],
  ['Busia'],
  ['Elgeyo-Marakwet'],
  ['Embu'],
  ['Garissa'],
  ['Homa Bay'],
  ['Isiolo'],
  ['Kajiado'],
  ['Kakamega'],
  ['Kericho'],
  ['Kiambu'],
  ['Kilifi'],
  ['Kirinyaga'],
  ['Kisii'],
  ['Kisumu'],
  ['Kitui'],
  ['Kwale'],
  ['Laikipia'],
  ['Lamu'],
  ['Machakos'],
  ['Makueni'],
  ['Mandera'],
  ['Marsabit'],
  ['Meru'],
  ['Migori'],
  ['Mombasa'],
  ["Murang'a"],
  ['Nairobi'],
  ['Nakuru'],
  ['Nandi'],
  ['Narok'],
  ['Nyamira'],
  ['Nyandarua'],
  ['Nyeri'],
  ['Samburu'],
  ['Siaya'],
  ['Taita-Taveta'],
  ['Tana River'],
  ['Tharaka-Nithi'],
  ['Trans Nzoia'],
  ['Turkana'],
  ['Uasin Gishu'],
  ['Vihiga'],
  ['Wajir'],
  ['West Pokot', 'Pokot Magharibi'],
];

/** `KE-01` … `KE-47` for index 0 … 46. */
export function countyCodeAt(index: number): string {
  return `KE-${String(index + 1).padStart(2, '0')}`;
}

/**
 * The counties as `[code, name]` pairs in the given language, sorted by that name.
 *
 * Every name is plain ASCII in title case, so code-unit order equals the locale's collation order (a test
 * checks it against `localeCompare` in both languages). The widget calls this on every render: a locale
 * comparison would run ICU collation some 270 times each time.
 */
export function countyOptions(locale: Locale): [code: string, name: string][] {
  return COUNTY_NAMES.map(([en, sw], index): [string, string] => [countyCodeAt(index), (locale === 'sw' && sw) || en]).sort(
    (a, b) => (a[1] < b[1] ? -1 : 1),
  );
}
