/**
 * JSON export: one JSON array of OSDI-style signature records (Open Supporter Data Interface,
 * `osdi:signatures` with an embedded `person`), written element by element so that a million rows never
 * sit in memory. Fields OSDI has no name for carry an `imlu:` prefix.
 *
 * The person has no `given_name`/`family_name` split: we store one name as the signer typed it, and
 * splitting Kenyan names into given and family parts would guess wrong. The full name is `imlu:full_name`
 * (null without the signer's consent to share it with the targets).
 */
import { Readable } from 'node:stream';
import type { ExportRecord } from './query.ts';

export function osdiSignature(record: ExportRecord, campaignSlug: string) {
  const person: Record<string, unknown> = {
    'imlu:full_name': record.name,
    'imlu:display_name': record.displayName,
    postal_addresses: record.county ? [{ region: record.county, 'imlu:county_name': record.countyName, country: 'KE' }] : [],
  };
  if (record.email) person['email_addresses'] = [{ address: record.email, primary: true }];
  if (record.phone) person['phone_numbers'] = [{ number: record.phone, primary: true }];
  return {
    identifiers: [`imlu:${record.id}`],
    created_date: new Date(record.createdAt).toISOString(),
    'imlu:status': record.status,
    'imlu:confirmed_date': record.confirmedAt === null ? null : new Date(record.confirmedAt).toISOString(),
    'imlu:petition': campaignSlug,
    'imlu:name_shared': record.name !== null,
    person,
  };
}

/** The JSON array, one chunk per page of records (or per record). */
export function jsonStream(records: AsyncIterable<ExportRecord | ExportRecord[]>, options: { campaignSlug: string }): Readable {
  return Readable.from(
    (async function* chunks() {
      let first = true;
      yield '[';
      for await (const item of records) {
        let chunk = '';
        for (const record of Array.isArray(item) ? item : [item]) {
          chunk += (first ? '\n' : ',\n') + JSON.stringify(osdiSignature(record, options.campaignSlug));
          first = false;
        }
        if (chunk) yield chunk;
      }
      yield first ? ']\n' : '\n]\n';
    })(),
    { objectMode: false, encoding: 'utf8', highWaterMark: 64 * 1024 },
  );
}
