/**
 * The JSON export against OSDI: signatures made through the real signing route (with a partner's Origin and
 * `source` tag) on a fresh database, exported over the real admin route, and compared with
 * `fixtures/osdi-signatures.json`, which was written from OSDI's signatures and people documents (it says
 * which parts). Every field the export writes must be one the documents name, with the same JSON type and
 * the same form of value (dates, identifiers, region, phone number), except the two extensions
 * docs/exports.md declares: `custom_fields` on a signature, and the person as `_embedded["osdi:person"]`.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, PARTNER_ORIGIN, validSignature, type TestApi } from '../../test/helpers.ts';
import { jsonStream, osdiPhone, osdiRegion } from './json.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';

type Json = Record<string, unknown>;
const fixture = JSON.parse(readFileSync(new URL('./fixtures/osdi-signatures.json', import.meta.url), 'utf8')) as { collection: Json; person: Json };
const osdiCollection = fixture.collection;
const osdiSignature = (osdiCollection['_embedded'] as Json)['osdi:signatures'] as Json[];
const osdiPerson = fixture.person;
/** Fields the export adds to a signature that OSDI's signature document does not list (docs/exports.md). */
const SIGNATURE_EXTENSIONS = ['custom_fields', '_embedded'];

/** The JSON type of a value, arrays apart. */
const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/** Every key of `actual` is a key of `documented` (plus `extra`), with a value of the same JSON type. */
function expectDocumented(actual: Json, documented: Json, where: string, extra: string[] = []) {
  for (const [key, value] of Object.entries(actual)) {
    if (extra.includes(key)) continue;
    expect(Object.keys(documented), `${where}: "${key}" is not an OSDI field`).toContain(key);
    expect(typeOf(value), `${where}.${key}`).toBe(typeOf(documented[key]));
  }
}

const first = <T>(value: unknown) => (value as T[])[0]!;
const OSDI_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const IDENTIFIER = /^[!-9;-~]+:[!-~]+$/; // people.md: printable US-ASCII, no space; no `:` in the issuer

let t: TestApi | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('OSDI JSON export', () => {
  it('the fixture itself has the forms the tests below rely on', () => {
    const signature = osdiSignature[0]!;
    for (const key of ['created_date', 'modified_date', 'action_date']) expect(signature[key]).toMatch(OSDI_DATE);
    for (const id of signature['identifiers'] as string[]) expect(id).toMatch(IDENTIFIER);
    expect(first<Json>(osdiPerson['postal_addresses'])['region']).toMatch(/^[A-Z0-9]{2}$/);
    expect(first<Json>(osdiPerson['phone_numbers'])['number']).toMatch(/^\d+$/);
  });

  it('writes a collection of signatures with the fields, links and value forms OSDI documents, from real signatures', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    let attempt = 0;
    const origin = () => ({ Origin: PARTNER_ORIGIN, 'Idempotency-Key': `osdi-test-${(attempt += 1)}` });
    const signed = [
      await t.sign(validSignature({ name: 'Wanjirũ Kamau', email: 'wanjiru@example.org', consent: { terms: true, shareWithTargets: true }, source: 'sms-blast-nov' }), origin()),
      await t.sign(validSignature({ name: 'Otieno Odhiambo', phone: '0712345679', county: 'KE-01', consent: { terms: true } })),
      await t.sign(validSignature({ name: 'Amina Hassan', phone: '+255712345678', county: undefined, consent: { terms: true, shareWithTargets: true } }), origin()),
    ];
    for (const response of signed) expect(response.status, await response.clone().text()).toBeLessThan(300);

    const response = await t.request(`/admin/campaigns/${t.slug}/export?format=json&includeContacts=true`, { headers: { Authorization: `Bearer ${BOOTSTRAP}` } });
    expect(response.status).toBe(200);
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')![1]!;
    const document = (await response.json()) as Json;

    // The collection: OSDI's collection fields, `_links.self` the file itself, the osdi curie.
    expectDocumented(document, osdiCollection, 'collection');
    expect(document['total_records']).toBe(3);
    const links = document['_links'] as Json;
    expectDocumented(links, osdiCollection['_links'] as Json, 'collection._links');
    expect(links['self']).toEqual({ href: name });
    expectDocumented(first<Json>(links['curies']), first<Json>((osdiCollection['_links'] as Json)['curies']), 'curie');
    expect(first<Json>(links['curies'])['name']).toBe('osdi');
    const signatures = (document['_embedded'] as Json)['osdi:signatures'] as Json[];
    expect(signatures).toHaveLength(3);

    for (const signature of signatures) {
      expectDocumented(signature, osdiSignature[0]!, 'signature', SIGNATURE_EXTENSIONS);
      for (const key of ['identifiers', 'origin_system', 'created_date', 'modified_date', 'action_date', 'custom_fields', '_links']) expect(signature).toHaveProperty(key);
      expect(signature['origin_system']).toBe('IMLU Campaign SDK');
      for (const key of ['created_date', 'modified_date', 'action_date']) expect(signature[key]).toMatch(OSDI_DATE);
      const [identifier] = signature['identifiers'] as string[];
      expect(identifier).toMatch(IDENTIFIER);
      expect(identifier).toMatch(/^imlu:[0-9a-f-]{36}$/);
      expectDocumented(signature['_links'] as Json, osdiSignature[0]!['_links'] as Json, 'signature._links');
      expect(signature['_links']).toEqual({ self: { href: `urn:uuid:${identifier!.slice('imlu:'.length)}` } });
      if (signature['referrer_data']) expectDocumented(signature['referrer_data'] as Json, osdiSignature[0]!['referrer_data'] as Json, 'referrer_data');
      for (const value of Object.values(signature['custom_fields'] as Json)) expect(typeof value).toBe('string');

      const person = (signature['_embedded'] as Json)['osdi:person'] as Json;
      expectDocumented(person, osdiPerson, 'person');
      for (const key of ['postal_addresses', 'email_addresses', 'phone_numbers'] as const) {
        for (const item of (person[key] as Json[] | undefined) ?? []) expectDocumented(item, first<Json>(osdiPerson[key]), `person.${key}`);
      }
      for (const phone of (person['phone_numbers'] as Json[] | undefined) ?? []) {
        expect(phone['number']).toMatch(/^\d+$/);
        expect(phone['country']).toMatch(/^[A-Z]{2}$/);
      }
      for (const value of Object.values((person['custom_fields'] as Json | undefined) ?? {})) expect(typeof value).toBe('string');
    }

    // The values, signature by signature (in signing order).
    const [wanjiru, otieno, amina] = signatures as [Json, Json, Json];
    const personOf = (signature: Json) => (signature['_embedded'] as Json)['osdi:person'] as Json;
    expect(wanjiru['referrer_data']).toEqual({ source: 'sms-blast-nov', website: new URL(PARTNER_ORIGIN).hostname });
    expect(wanjiru['custom_fields']).toMatchObject({ imlu_petition: t.slug, imlu_name_shared: 'true', imlu_county: 'Nairobi', imlu_origin: PARTNER_ORIGIN });
    expect(personOf(wanjiru)).toEqual({
      postal_addresses: [{ primary: true, region: '30', country: 'KE' }],
      email_addresses: [{ primary: true, address: 'wanjiru@example.org' }],
      phone_numbers: [{ primary: true, number: '254712345678', country: 'KE' }],
      custom_fields: { imlu_full_name: 'Wanjirũ Kamau' },
    });
    // No consent to share with the targets: no name, no contact; only the county, which every export shows.
    expect(otieno['referrer_data']).toBeUndefined();
    expect(otieno['custom_fields']).toMatchObject({ imlu_name_shared: 'false', imlu_display_name: 'Signatory, Baringo' });
    expect(personOf(otieno)).toEqual({ postal_addresses: [{ primary: true, region: '01', country: 'KE' }] });
    expect(amina['referrer_data']).toEqual({ website: new URL(PARTNER_ORIGIN).hostname });
    expect(personOf(amina)).toEqual({ phone_numbers: [{ primary: true, number: '255712345678', country: 'TZ' }], custom_fields: { imlu_full_name: 'Amina Hassan' } });
    for (const signature of signatures) {
      expect(signature['action_date']).toBe(signature['created_date']);
      const custom = signature['custom_fields'] as Json;
      expect(signature['modified_date']).toBe(custom['imlu_confirmed_date'] ?? signature['created_date']);
      expect(custom['imlu_status']).toMatch(/^(counted|pending)$/);
    }
  });

  it('is one JSON document however the records arrive, and an empty export is an empty collection', async () => {
    async function* none() {}
    const text = async (stream: NodeJS.ReadableStream) => {
      let out = '';
      for await (const chunk of stream) out += String(chunk);
      return out;
    };
    const empty = JSON.parse(await text(jsonStream(none(), { campaignSlug: 'x', self: 'x.json' }))) as Json;
    expect(empty).toMatchObject({ total_records: 0, _embedded: { 'osdi:signatures': [] }, _links: { self: { href: 'x.json' } } });
  });

  it('maps regions and phone numbers as OSDI asks', () => {
    expect(osdiRegion('KE-30')).toBe('30');
    expect(osdiRegion('KE-01')).toBe('01');
    expect(osdiPhone('+254712345678')).toEqual({ number: '254712345678', country: 'KE' });
    expect(osdiPhone('+254110123456')).toEqual({ number: '254110123456', country: 'KE' });
  });
});
