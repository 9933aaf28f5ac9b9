/**
 * JSON export: an OSDI collection of signatures (Open Supporter Data Interface, the `signatures` and `people`
 * resources of https://opensupporter.github.io/osdi-docs/), as HAL: `_links`, then the signatures one by one
 * in `_embedded["osdi:signatures"]`, each with its signer as `_embedded["osdi:person"]`, then
 * `total_records`. Written page by page, so that a million signatures never sit in memory; the count comes
 * last because it is known only at the end (rows signed while an export runs may or may not be in it).
 *
 * The mapping, field by field, is in docs/exports.md ("OSDI JSON"); the choices in short:
 * - Names: we store one name as the signer typed it. Splitting Kenyan names into given and family names
 *   would guess wrong, so the person has no `given_name`/`family_name`; the name is
 *   `custom_fields.imlu_full_name`, and only for a signer who agreed to share it with the targets.
 * - Region: OSDI asks for the final two characters of the ISO 3166-2 code (`KE-30` → `30`), with
 *   `country: "KE"`; the county's name is `custom_fields.imlu_county`.
 * - Phone: OSDI asks for digits only, with the country code (`+254712345678` → `254712345678`), and the
 *   country as ISO 3166-1 alpha-2 in `country`.
 * - Dates: ISO 8601 in UTC to the second, as in OSDI's examples.
 * - What OSDI has no field for (status, confirmation, consent, county name, the petition): `custom_fields`,
 *   each key prefixed `imlu_`, each value a string, as OSDI's custom fields are.
 * - Links: an export is a file, not an API, so there is nothing to fetch: the collection's `self` is the
 *   file's own name (a relative reference: it resolves to the file beside the manifest), a signature's
 *   `self` is `urn:uuid:<id>`, and the person is embedded rather than linked.
 */
import { Readable } from 'node:stream';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { ExportRecord } from './query.ts';

export const ORIGIN_SYSTEM = 'IMLU Campaign SDK';
export const IDENTIFIER_PREFIX = 'imlu';
/** OSDI's documentation as the HAL curie of the `osdi:` link relations. */
export const OSDI_CURIE = { name: 'osdi', href: 'https://opensupporter.github.io/osdi-docs/{rel}', templated: true } as const;

/** ISO 8601 to the second in UTC (`2026-10-01T08:00:00Z`), the form of OSDI's examples. */
function osdiDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** OSDI `postal_addresses.region`: "the final 2 alpha digits" of the ISO 3166-2 code (`KE-30` → `30`). */
export function osdiRegion(county: string): string {
  return county.slice(county.indexOf('-') + 1);
}

/** OSDI `phone_numbers`: digits only, with the country code, and the country (ISO 3166-1 alpha-2). */
export function osdiPhone(e164: string): { number: string; country?: string } {
  const country = parsePhoneNumberFromString(e164)?.country;
  return { number: e164.replace(/\D/g, ''), ...(country ? { country } : {}) };
}

/** The host of an origin (`https://haki.example:8443` → `haki.example`), or undefined for one that is not a URL. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname || undefined;
  } catch {
    return undefined;
  }
}

export function osdiPerson(record: ExportRecord): Record<string, unknown> {
  const person: Record<string, unknown> = {};
  if (record.county) person['postal_addresses'] = [{ primary: true, region: osdiRegion(record.county), country: 'KE' }];
  if (record.email) person['email_addresses'] = [{ primary: true, address: record.email }];
  if (record.phone) person['phone_numbers'] = [{ primary: true, ...osdiPhone(record.phone) }];
  if (record.name !== null) person['custom_fields'] = { imlu_full_name: record.name };
  return person;
}

export function osdiSignature(record: ExportRecord, campaignSlug: string): Record<string, unknown> {
  const custom: Record<string, string> = {
    imlu_petition: campaignSlug,
    imlu_status: record.status,
    imlu_name_shared: record.name !== null ? 'true' : 'false',
    imlu_display_name: record.displayName,
  };
  if (record.confirmedAt !== null) custom['imlu_confirmed_date'] = osdiDate(record.confirmedAt);
  if (record.county) custom['imlu_county'] = record.countyName;
  if (record.origin) custom['imlu_origin'] = record.origin;
  if (record.pledges !== undefined) custom['imlu_pledges'] = record.pledges;
  const referrer: Record<string, string> = {};
  if (record.sourceRef) referrer['source'] = record.sourceRef;
  const website = record.origin ? hostOf(record.origin) : undefined;
  if (website) referrer['website'] = website;
  return {
    identifiers: [`${IDENTIFIER_PREFIX}:${record.id}`],
    origin_system: ORIGIN_SYSTEM,
    created_date: osdiDate(record.createdAt),
    // Confirming is the only change a signature undergoes before it is exported.
    modified_date: osdiDate(Math.max(record.createdAt, record.confirmedAt ?? 0)),
    action_date: osdiDate(record.createdAt),
    ...(Object.keys(referrer).length ? { referrer_data: referrer } : {}),
    custom_fields: custom,
    _links: { self: { href: `urn:uuid:${record.id}` } },
    _embedded: { 'osdi:person': osdiPerson(record) },
  };
}

/**
 * The collection document, one chunk per page of records (or per record). `self` is the file's name (see
 * above).
 */
export function jsonStream(records: AsyncIterable<ExportRecord | ExportRecord[]>, options: { campaignSlug: string; self: string }): Readable {
  const links = { self: { href: options.self }, curies: [OSDI_CURIE] };
  return Readable.from(
    (async function* chunks() {
      let count = 0;
      yield `{\n"_links": ${JSON.stringify(links)},\n"_embedded": {"osdi:signatures": [`;
      for await (const item of records) {
        let chunk = '';
        for (const record of Array.isArray(item) ? item : [item]) {
          chunk += (count ? ',\n' : '\n') + JSON.stringify(osdiSignature(record, options.campaignSlug));
          count += 1;
        }
        if (chunk) yield chunk;
      }
      // One file holds the whole collection: one page of `total_records` records.
      yield `${count ? '\n' : ''}]},\n"total_records": ${count},\n"total_pages": 1,\n"page": 1,\n"per_page": ${count}\n}\n`;
    })(),
    { objectMode: false, encoding: 'utf8', highWaterMark: 64 * 1024 },
  );
}
