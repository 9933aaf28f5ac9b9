import { describe, expect, it } from 'vitest';
import { COUNTIES, COUNTY_CODES, countyByCode, isCountyCode } from './counties.ts';
import { problemName, problemType } from './problems.ts';
import { CampaignSchema, ConfirmRequestSchema, SignRequestSchema, SignResponseSchema } from './schemas.ts';

const valid = { name: 'Wanjirũ Kamau', phone: '0712345678', consent: { terms: true } };

function codes(input: unknown): Record<string, string> {
  const result = SignRequestSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('counties', () => {
  it('has the 47 counties keyed KE-01…KE-47 in ISO order', () => {
    expect(COUNTIES).toHaveLength(47);
    expect(COUNTIES.map((c) => c.code)).toEqual([...COUNTY_CODES]);
    expect(countyByCode('KE-01')?.name.en).toBe('Baringo');
    expect(countyByCode('KE-30')?.name.en).toBe('Nairobi');
    expect(countyByCode('KE-47')?.name.sw).toBe('Pokot Magharibi');
  });

  it('keeps the constitutional code as a label, unique 001…047', () => {
    expect(countyByCode('KE-28')?.constitutionalCode).toBe('001'); // Mombasa
    expect(countyByCode('KE-30')?.constitutionalCode).toBe('047'); // Nairobi
    const labels = new Set(COUNTIES.map((c) => c.constitutionalCode));
    expect(labels.size).toBe(47);
    expect(isCountyCode('047')).toBe(false);
    expect(isCountyCode('KE-48')).toBe(false);
  });

  it('carries Open Civic Data ids in the same order', () => {
    for (const county of COUNTIES) {
      expect(county.ocdId).toBe(`ocd-division/country:ke/county:${county.code.slice(3)}`);
    }
  });
});

describe('problem types', () => {
  it('round-trips stable URNs', () => {
    expect(problemType('campaign-closed')).toBe('urn:imlu:problem:campaign-closed');
    expect(problemName('urn:imlu:problem:validation')).toBe('validation');
    expect(problemName('about:blank')).toBeUndefined();
  });
});

describe('SignRequestSchema', () => {
  it('accepts a minimal signature and fills consent defaults', () => {
    const parsed = SignRequestSchema.parse(valid);
    expect(parsed.consent).toEqual({ terms: true, publicName: false, shareWithTargets: false, updates: false });
    expect(parsed.name).toBe('Wanjirũ Kamau');
  });

  it('trims the name and bounds it to 120 characters', () => {
    expect(SignRequestSchema.parse({ ...valid, name: '  Otieno  ' }).name).toBe('Otieno');
    expect(codes({ ...valid, name: '   ' })).toEqual({ name: 'required' });
    expect(codes({ ...valid, name: 'x'.repeat(121) })).toEqual({ name: 'too_long' });
    expect(SignRequestSchema.safeParse({ ...valid, name: 'x'.repeat(120) }).success).toBe(true);
  });

  it('refuses names that start like a formula or carry a web address', () => {
    for (const name of ['=HYPERLINK("x")', '+254 Otieno', '-1', '@admin', 'Buy at https://spam.example', 'www.spam.ke']) {
      expect(codes({ ...valid, name })).toEqual({ name: 'invalid_name' });
    }
  });

  it('requires an e-mail or a phone', () => {
    expect(codes({ name: 'Akinyi', consent: { terms: true } })).toEqual({ email: 'contact_required' });
    expect(SignRequestSchema.safeParse({ name: 'Akinyi', email: 'a@example.org', consent: { terms: true } }).success).toBe(true);
  });

  it('gives one coded error per invalid field', () => {
    expect(
      codes({
        name: '',
        email: 'not-an-email',
        county: 'Nairobi',
        consent: { terms: false },
        comment: 'x'.repeat(501),
        locale: 'fr',
      }),
    ).toEqual({
      name: 'required',
      email: 'invalid_email',
      county: 'invalid_county',
      'consent.terms': 'consent_required',
      comment: 'too_long',
      locale: 'invalid_locale',
    });
  });

  it('requires consent to the terms and refuses unknown fields', () => {
    expect(codes({ name: 'A', phone: '0712345678' })).toEqual({ consent: 'consent_required' });
    expect(codes({ ...valid, admin: true })).toEqual({ '': 'unknown_field' });
  });
});

describe('confirmation contract', () => {
  it('takes a handle and exactly six digits, coding a wrong code as `invalid` on `code`', () => {
    expect(ConfirmRequestSchema.parse({ handle: 'v1.a.b.c', code: ' 012345 ' })).toEqual({ handle: 'v1.a.b.c', code: '012345' });
    for (const code of ['12345', '1234567', '12a456', '']) {
      const result = ConfirmRequestSchema.safeParse({ handle: 'h', code });
      expect(result.success, code).toBe(false);
      expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['code', 'invalid']]);
    }
    expect(ConfirmRequestSchema.safeParse({ handle: 'h', code: '123456', extra: 1 }).success).toBe(false);
  });

  it('keeps sign responses and campaigns from older servers valid (confirmation and verification are optional)', () => {
    expect(SignResponseSchema.parse({ status: 'counted' })).toEqual({ status: 'counted' });
    expect(SignResponseSchema.parse({ status: 'pending_verification', confirmation: { channel: 'sms', handle: 'x' } })).toMatchObject({
      confirmation: { channel: 'sms' },
    });
    expect(SignResponseSchema.safeParse({ status: 'pending_verification', confirmation: { channel: 'fax' } }).success).toBe(false);
    const shape = CampaignSchema.shape;
    expect(shape.verification.safeParse(undefined).success).toBe(true);
    expect(shape.verification.safeParse('either').success).toBe(true);
    expect(shape.verification.safeParse('always').success).toBe(false);
  });
});

describe('county names for the widget', () => {
  it('lists every county once, sorted by the name in the chosen language', async () => {
    const { countyOptions } = await import('./county-names.ts');
    const sw = countyOptions('sw');
    expect(sw).toHaveLength(47);
    expect(new Set(sw.map(([code]) => code)).size).toBe(47);
    expect(sw).toContainEqual(['KE-47', 'Pokot Magharibi']);
    expect(countyOptions('en')).toContainEqual(['KE-47', 'West Pokot']);
    for (const locale of ['en', 'sw'] as const) {
      const names = countyOptions(locale).map(([, name]) => name);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, locale)));
    }
  });
});
