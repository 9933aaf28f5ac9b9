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

export const COUNTIES: readonly County[] = [
  { code: 'KE-01', constitutionalCode: '030', ocdId: 'ocd-division/country:ke/county:01', name: { en: 'Baringo', sw: 'Baringo' } },
  { code: 'KE-02', constitutionalCode: '036', ocdId: 'ocd-division/country:ke/county:02', name: { en: 'Bomet', sw: 'Bomet' } },
  { code: 'KE-03', constitutionalCode: '039', ocdId: 'ocd-division/country:ke/county:03', name: { en: 'Bungoma', sw: 'Bungoma' } },
  { code: 'KE-04', constitutionalCode: '040', ocdId: 'ocd-division/country:ke/county:04', name: { en: 'Busia', sw: 'Busia' } },
  { code: 'KE-05', constitutionalCode: '028', ocdId: 'ocd-division/country:ke/county:05', name: { en: 'Elgeyo-Marakwet', sw: 'Elgeyo-Marakwet' } },
  { code: 'KE-06', constitutionalCode: '014', ocdId: 'ocd-division/country:ke/county:06', name: { en: 'Embu', sw: 'Embu' } },
  { code: 'KE-07', constitutionalCode: '007', ocdId: 'ocd-division/country:ke/county:07', name: { en: 'Garissa', sw: 'Garissa' } },
  { code: 'KE-08', constitutionalCode: '043', ocdId: 'ocd-division/country:ke/county:08', name: { en: 'Homa Bay', sw: 'Homa Bay' } },
  { code: 'KE-09', constitutionalCode: '011', ocdId: 'ocd-division/country:ke/county:09', name: { en: 'Isiolo', sw: 'Isiolo' } },
  { code: 'KE-10', constitutionalCode: '034', ocdId: 'ocd-division/country:ke/county:10', name: { en: 'Kajiado', sw: 'Kajiado' } },
  { code: 'KE-11', constitutionalCode: '037', ocdId: 'ocd-division/country:ke/county:11', name: { en: 'Kakamega', sw: 'Kakamega' } },
  { code: 'KE-12', constitutionalCode: '035', ocdId: 'ocd-division/country:ke/county:12', name: { en: 'Kericho', sw: 'Kericho' } },
  { code: 'KE-13', constitutionalCode: '022', ocdId: 'ocd-division/country:ke/county:13', name: { en: 'Kiambu', sw: 'Kiambu' } },
  { code: 'KE-14', constitutionalCode: '003', ocdId: 'ocd-division/country:ke/county:14', name: { en: 'Kilifi', sw: 'Kilifi' } },
  { code: 'KE-15', constitutionalCode: '020', ocdId: 'ocd-division/country:ke/county:15', name: { en: 'Kirinyaga', sw: 'Kirinyaga' } },
  { code: 'KE-16', constitutionalCode: '045', ocdId: 'ocd-division/country:ke/county:16', name: { en: 'Kisii', sw: 'Kisii' } },
  { code: 'KE-17', constitutionalCode: '042', ocdId: 'ocd-division/country:ke/county:17', name: { en: 'Kisumu', sw: 'Kisumu' } },
  { code: 'KE-18', constitutionalCode: '015', ocdId: 'ocd-division/country:ke/county:18', name: { en: 'Kitui', sw: 'Kitui' } },
  { code: 'KE-19', constitutionalCode: '002', ocdId: 'ocd-division/country:ke/county:19', name: { en: 'Kwale', sw: 'Kwale' } },
  { code: 'KE-20', constitutionalCode: '031', ocdId: 'ocd-division/country:ke/county:20', name: { en: 'Laikipia', sw: 'Laikipia' } },
  { code: 'KE-21', constitutionalCode: '005', ocdId: 'ocd-division/country:ke/county:21', name: { en: 'Lamu', sw: 'Lamu' } },
  { code: 'KE-22', constitutionalCode: '016', ocdId: 'ocd-division/country:ke/county:22', name: { en: 'Machakos', sw: 'Machakos' } },
  { code: 'KE-23', constitutionalCode: '017', ocdId: 'ocd-division/country:ke/county:23', name: { en: 'Makueni', sw: 'Makueni' } },
  { code: 'KE-24', constitutionalCode: '009', ocdId: 'ocd-division/country:ke/county:24', name: { en: 'Mandera', sw: 'Mandera' } },
  { code: 'KE-25', constitutionalCode: '010', ocdId: 'ocd-division/country:ke/county:25', name: { en: 'Marsabit', sw: 'Marsabit' } },
  { code: 'KE-26', constitutionalCode: '012', ocdId: 'ocd-division/country:ke/county:26', name: { en: 'Meru', sw: 'Meru' } },
  { code: 'KE-27', constitutionalCode: '044', ocdId: 'ocd-division/country:ke/county:27', name: { en: 'Migori', sw: 'Migori' } },
  { code: 'KE-28', constitutionalCode: '001', ocdId: 'ocd-division/country:ke/county:28', name: { en: 'Mombasa', sw: 'Mombasa' } },
  { code: 'KE-29', constitutionalCode: '021', ocdId: 'ocd-division/country:ke/county:29', name: { en: "Murang'a", sw: "Murang'a" } },
  { code: 'KE-30', constitutionalCode: '047', ocdId: 'ocd-division/country:ke/county:30', name: { en: 'Nairobi', sw: 'Nairobi' } },
  { code: 'KE-31', constitutionalCode: '032', ocdId: 'ocd-division/country:ke/county:31', name: { en: 'Nakuru', sw: 'Nakuru' } },
  { code: 'KE-32', constitutionalCode: '029', ocdId: 'ocd-division/country:ke/county:32', name: { en: 'Nandi', sw: 'Nandi' } },
  { code: 'KE-33', constitutionalCode: '033', ocdId: 'ocd-division/country:ke/county:33', name: { en: 'Narok', sw: 'Narok' } },
  { code: 'KE-34', constitutionalCode: '046', ocdId: 'ocd-division/country:ke/county:34', name: { en: 'Nyamira', sw: 'Nyamira' } },
  { code: 'KE-35', constitutionalCode: '018', ocdId: 'ocd-division/country:ke/county:35', name: { en: 'Nyandarua', sw: 'Nyandarua' } },
  { code: 'KE-36', constitutionalCode: '019', ocdId: 'ocd-division/country:ke/county:36', name: { en: 'Nyeri', sw: 'Nyeri' } },
  { code: 'KE-37', constitutionalCode: '025', ocdId: 'ocd-division/country:ke/county:37', name: { en: 'Samburu', sw: 'Samburu' } },
  { code: 'KE-38', constitutionalCode: '041', ocdId: 'ocd-division/country:ke/county:38', name: { en: 'Siaya', sw: 'Siaya' } },
  { code: 'KE-39', constitutionalCode: '006', ocdId: 'ocd-division/country:ke/county:39', name: { en: 'Taita-Taveta', sw: 'Taita-Taveta' } },
  { code: 'KE-40', constitutionalCode: '004', ocdId: 'ocd-division/country:ke/county:40', name: { en: 'Tana River', sw: 'Tana River' } },
  { code: 'KE-41', constitutionalCode: '013', ocdId: 'ocd-division/country:ke/county:41', name: { en: 'Tharaka-Nithi', sw: 'Tharaka-Nithi' } },
  { code: 'KE-42', constitutionalCode: '026', ocdId: 'ocd-division/country:ke/county:42', name: { en: 'Trans Nzoia', sw: 'Trans Nzoia' } },
  { code: 'KE-43', constitutionalCode: '023', ocdId: 'ocd-division/country:ke/county:43', name: { en: 'Turkana', sw: 'Turkana' } },
  { code: 'KE-44', constitutionalCode: '027', ocdId: 'ocd-division/country:ke/county:44', name: { en: 'Uasin Gishu', sw: 'Uasin Gishu' } },
  { code: 'KE-45', constitutionalCode: '038', ocdId: 'ocd-division/country:ke/county:45', name: { en: 'Vihiga', sw: 'Vihiga' } },
  { code: 'KE-46', constitutionalCode: '008', ocdId: 'ocd-division/country:ke/county:46', name: { en: 'Wajir', sw: 'Wajir' } },
  { code: 'KE-47', constitutionalCode: '024', ocdId: 'ocd-division/country:ke/county:47', name: { en: 'West Pokot', sw: 'Pokot Magharibi' } },
];

const byCode = new Map<string, County>(COUNTIES.map((county) => [county.code, county]));

export function isCountyCode(value: unknown): value is CountyCode {
  return typeof value === 'string' && byCode.has(value);
}

export function countyByCode(code: string): County | undefined {
  return byCode.get(code);
}
