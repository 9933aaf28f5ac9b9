/**
 * Kenya's 47 counties, keyed by ISO 3166-2:KE (`KE-01` Baringo … `KE-30` Nairobi … `KE-47` West Pokot).
 *
 * The constitutional code (`001` Mombasa … `047` Nairobi, First Schedule of the Constitution) is a label
 * only, never a key. Open Civic Data ids come from `shared/data/ocd-division-ids-country-ke.csv` (CC0).
 * Kiswahili names: county names are proper nouns and stay as they are, except where Kiswahili usage
 * translates the descriptive part (West Pokot → Pokot Magharibi).
 *
 * This module is plain data with no dependencies so that the widget can bundle it without zod.
 */
import { COUNTY_NAMES, countyCodeAt } from './county-names.ts';

export interface County {
  /** ISO 3166-2:KE code, the key everywhere in this SDK. */
  readonly code: CountyCode;
  /** Constitutional code, a display label only. */
  readonly constitutionalCode: string;
  /** Open Civic Data division id. */
  readonly ocdId: string;
  readonly name: { readonly en: string; readonly sw: string };
}

export const COUNTY_CODES = [
  'KE-01',
  'KE-02',
  'KE-03',
  'KE-04',
  'KE-05',
  'KE-06',
  'KE-07',
  'KE-08',
  'KE-09',
  'KE-10',
  'KE-11',
  'KE-12',
  'KE-13',
  'KE-14',
  'KE-15',
  'KE-16',
  'KE-17',
  'KE-18',
  'KE-19',
  'KE-20',
  'KE-21',
  'KE-22',
  'KE-23',
  'KE-24',
  'KE-25',
  'KE-26',
  'KE-27',
  'KE-28',
  'KE-29',
  'KE-30',
  'KE-31',
  'KE-32',
  'KE-33',
  'KE-34',
  'KE-35',
  'KE-36',
  'KE-37',
  'KE-38',
  'KE-39',
  'KE-40',
  'KE-41',
  'KE-42',
  'KE-43',
  'KE-44',
  'KE-45',
  'KE-46',
  'KE-47',
] as const;

export type CountyCode = (typeof COUNTY_CODES)[number];

/** Constitutional codes (First Schedule), in ISO order: Baringo is 030, Mombasa (KE-28) is 001. */
const CONSTITUTIONAL_CODES: readonly string[] = ['030', '036', '039', '040', '028', '014', '007', '043', '011', '034', '037', '035', '022', '003', '020', '045', '042', '015', '002', '031', '005', '016', '017', '009', '010', '012', '044', '001', '021', '047', '032', '029', '033', '046', '018', '019', '025', '041', '006', '004', '013', '026', '023', '027', '038', '008', '024'];

export const COUNTIES: readonly County[] = COUNTY_NAMES.map(([en, sw], index) => {
  const code = countyCodeAt(index) as CountyCode;
  return {
    code,
    constitutionalCode: CONSTITUTIONAL_CODES[index]!,
    ocdId: `ocd-division/country:ke/county:${code.slice(3)}`,
    name: { en, sw: sw ?? en },
  };
});

const byCode = new Map<string, County>(COUNTIES.map((county) => [county.code, county]));

export function isCountyCode(value: unknown): value is CountyCode {
  return typeof value === 'string' && byCode.has(value);
}

export function countyByCode(code: string): County | undefined {
  return byCode.get(code);
}
