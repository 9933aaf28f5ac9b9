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

  it('refuses names hiding controls, line breaks, bidi overrides or no letter at all (CSV injection, spoofing)', () => {
    const hostile = [
      'Juma Baraka\r=1+1', // a bare CR split CSV rows and LibreOffice ran the rest as a formula
      'Juma\nBaraka',
      'X\n=HYPERLINK("http://evil")',
      'Juma\tBaraka',
      'Juma\u0000',
      '\u0000',
      '\u0000\u0000\u0000',
      '\u001b[31mJuma\u001b[0m', // ANSI colour on a terminal
      'Juma\u0085Baraka', // NEL, a C1 control
      'Juma\u2028Baraka', // LINE SEPARATOR
      '\u202Eakarab amuJ', // RIGHT-TO-LEFT OVERRIDE shows "Juma Baraka"
      'Juma \u202Dx\u202C',
      'Juma \u2066x\u2069',
      'Juma \u2067x\u2069',
      '\u200B', // zero-width space only
      '\u200B\u200C\u200D\u2060\uFEFF\u00AD',
      '\u0301\u0303\u0308', // combining marks only
      '\u3164\u3164', // Hangul fillers: letters that render as nothing
      '12345',
      "'-.",
      '\u200B=SUM(A1)', // formula behind a zero-width space
      '\u00A0=1+1', // … behind a no-break space
      '\u2003+1', // … behind an em space
      '\u200D@SUM(1)',
      '\t=1+1', // trimmed to "=1+1"
      '\u3000-1+Juma',
      '\uFF1D1+1 Juma', // FULLWIDTH EQUALS SIGN
    ];
    for (const name of hostile) {
      expect(codes({ ...valid, name }), JSON.stringify(name)).toEqual({ name: 'invalid_name' });
    }
  });

  it('accepts real names in many scripts, with apostrophes, hyphens and ZWJ/ZWNJ inside', () => {
    const names = [
      'Wanjirũ Kamau',
      'Ngũgĩ wa Thiong’o',
      "Ngũgĩ wa Thiong'o",
      "O'Brien",
      'Jean-Luc Mũthoni',
      'Achieng’ Auma',
      'محمد عبد الله', // Arabic
      'አበበ ቢቂላ', // Amharic (Ge'ez)
      'देवनागरी नाम', // Devanagari, vowel signs are combining marks
      'प्रिया', // Devanagari with virama
      '王小明', // CJK
      '김민준', // Hangul
      'Ολυμπία', // Greek
      'Илья Муромец', // Cyrillic
      'مهرزاد\u200Cپور', // Persian with ZWNJ inside
      'क्\u200Dष', // Devanagari with ZWJ inside
      'שרה כהן\u200F', // Hebrew with a trailing RLM
      'Otieno 2nd',
      'X Æ A-12',
      'Amina (Mama Fatuma)',
    ];
    for (const name of names) {
      const result = SignRequestSchema.safeParse({ ...valid, name });
      expect(result.success, name).toBe(true);
      expect(result.data?.name).toBe(name.normalize('NFC'));
    }
  });

  it('NFC-normalises the name, the comment and the source', () => {
    const decomposed = 'Wanjiru\u0303 Kamau'; // u + COMBINING TILDE
    expect(decomposed).not.toBe('Wanjirũ Kamau');
    expect(SignRequestSchema.parse({ ...valid, name: decomposed }).name).toBe('Wanjirũ Kamau');
    expect(SignRequestSchema.parse({ ...valid, name: 'Ngu\u0303gi\u0303' }).name).toBe('Ngũgĩ');
    const parsed = SignRequestSchema.parse({ ...valid, comment: 'Haki kwa Wanjiru\u0303', source: 'redio-Ngu\u0303gi\u0303' });
    expect(parsed.comment).toBe('Haki kwa Wanjirũ');
    expect(parsed.source).toBe('redio-Ngũgĩ');
  });

  it('keeps line breaks in a comment as \\n and refuses every other control, bidi override and isolate', () => {
    const parse = (comment: string) => SignRequestSchema.parse({ ...valid, comment }).comment;
    expect(parse('Line one\r\nLine two\rLine three\nLine four\u2028five')).toBe('Line one\nLine two\nLine three\nLine four\nfive');
    expect(parse('\r\n  Haki sasa  \r\n')).toBe('Haki sasa');
    expect(parse('Mũthoni: “haki” — sasa! 100% 😊')).toBe('Mũthoni: “haki” — sasa! 100% 😊');
    for (const comment of ['a\tb', 'a\u0000b', '\u001b[2Jcleared', 'a\u0007', 'a\u009bb', 'x \u202Ey', 'x \u2066y\u2069']) {
      expect(codes({ ...valid, comment }), JSON.stringify(comment)).toEqual({ comment: 'invalid' });
    }
    // CRLF counts as one character toward the limit, as the textarea shows it.
    expect(SignRequestSchema.safeParse({ ...valid, comment: 'x\r\n'.repeat(249) + 'xx' }).success).toBe(true);
  });

  it('refuses any control, line break or bidi override in the source', () => {
    expect(SignRequestSchema.parse({ ...valid, source: 'radio-citizen' }).source).toBe('radio-citizen');
    for (const source of ['radio\ncitizen', 'radio\rcitizen', 'radio\tcitizen', 'radio\u0000', '\u001b[31mred', 'a\u2028b', 'x\u202Ey']) {
      expect(codes({ ...valid, source }), JSON.stringify(source)).toEqual({ source: 'invalid' });
    }
  });

  it('requires an e-mail or a phone', () => {
    expect(codes({ name: 'Akinyi', consent: { terms: true } })).toEqual({ email: 'contact_required' });
    expect(SignRequestSchema.safeParse({ name: 'Akinyi', email: 'a@example.org', consent: { terms: true } }).success).toBe(true);
  });

  it('says "phone or e-mail" in the same round as the other errors', () => {
    expect(codes({ name: '', consent: { terms: false } })).toEqual({ name: expect.any(String), 'consent.terms': expect.any(String), email: 'contact_required' });
    // A contact that is there but malformed is its own error, not a missing one.
    expect(codes({ name: '', email: 'not-an-email', consent: { terms: true } }).email).not.toBe('contact_required');
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
