import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIELD_ERROR_MESSAGES, type Problem } from '@imlu/contracts';
import { createCampaign } from '../campaigns/create.ts';
import { createDb } from '../db/client.ts';
import type { CommitInfo } from '../signing/writer.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import {
  createTestApi,
  OPEN_CAMPAIGN,
  PARTNER_ORIGIN,
  storedCounts,
  tableCounts,
  TEST_KEYS,
  validSignature,
  type TestApi,
} from '../../test/helpers.ts';

let t: TestApi;
let commits: CommitInfo[];

beforeEach(async () => {
  commits = [];
  t = await createTestApi({ onCommit: (info) => commits.push(info) });
});
afterEach(async () => {
  await t.close();
});

async function counts(slug = t.slug) {
  return (await (await t.request(`/v1/campaigns/${slug}/counts`)).json()) as { signatures: number; byCounty: Record<string, number> };
}

async function expectProblem(response: Response, status: number, name: string): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  const problem = (await response.json()) as Problem;
  expect(problem).toMatchObject({ type: `urn:imlu:problem:${name}`, status });
  expect(problem.title).toEqual(expect.any(String));
  return problem;
}

const EMPTY = { signatures: 0, signature_dedupe: 0, campaign_counts: 0, idempotency_keys: 0 };

describe('POST /v1/campaigns/:slug/signatures', () => {
  it('counts a signature at once when the campaign needs no verification (201 counted)', async () => {
    const response = await t.sign(validSignature());
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ status: 'counted' });
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await counts()).toMatchObject({ signatures: 1, byCounty: { 'KE-30': 1 } });
    expect(await counts()).not.toHaveProperty('pending');
  });

  it('holds a signature as pending when the campaign verifies (202 pending_verification)', async () => {
    const verifiedId = await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'verified', verification: 'either' });
    const response = await t.sign(validSignature(), {}, 'verified');
    expect(response.status).toBe(202);
    const first = (await response.json()) as { confirmation: { handle: string } };
    expect(first).toEqual({ status: 'pending_verification', confirmation: { channel: 'sms', handle: expect.any(String) } });
    // Unconfirmed signatures are not published (docs/data-protection.md, "What a stranger can learn").
    expect(await counts('verified')).toEqual({ signatures: 0, goal: 1000, byCounty: {}, updatedAt: expect.any(String) });
    expect(await storedCounts(t.db, verifiedId)).toMatchObject({ counted: 0, pending: 1 });
    // A duplicate gets the same answer: the SMS handle is a fresh opaque value for every request, new or not.
    const again = await t.sign(validSignature({ phone: '+254712345678' }), {}, 'verified');
    const second = (await again.json()) as { confirmation: { handle: string } };
    expect([again.status, second]).toEqual([202, { status: 'pending_verification', confirmation: { channel: 'sms', handle: expect.any(String) } }]);
    expect(second.confirmation.handle).toHaveLength(first.confirmation.handle.length);
    // By e-mail, byte for byte.
    const email = await t.sign(validSignature({ email: 'a@example.org', phone: undefined }), {}, 'verified');
    const emailAgain = await t.sign(validSignature({ email: 'A@example.org', phone: undefined, name: 'Other' }), {}, 'verified');
    expect(await email.text()).toBe('{"status":"pending_verification","confirmation":{"channel":"email"}}');
    expect(await emailAgain.text()).toBe('{"status":"pending_verification","confirmation":{"channel":"email"}}');
  });

  it('dedupes the five ways of writing a Kenyan number into ONE signature, with identical answers', async () => {
    const forms = ['0712345678', '712345678', '254712345678', '+254712345678', '+254 712 345 678'];
    const answers: [number, string][] = [];
    for (const phone of forms) {
      const response = await t.sign(validSignature({ name: 'Wanjirũ Kamau', phone }));
      answers.push([response.status, await response.text()]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual([201, '{"status":"counted"}']);
    expect(await tableCounts(t.db)).toMatchObject({ signatures: 1, signature_dedupe: 1 });
    expect((await counts()).signatures).toBe(1);
  });

  it('accepts 0110… numbers', async () => {
    const response = await t.sign(validSignature({ phone: '0110 123 456' }));
    expect(response.status).toBe(201);
    const again = await t.sign(validSignature({ phone: '+254110123456' }));
    expect(again.status).toBe(201);
    expect((await tableCounts(t.db)).signatures).toBe(1);
  });

  it('dedupes canonical e-mail forms (Jane.Doe+x@GMail.com = janedoe@gmail.com)', async () => {
    const first = await t.sign({ name: 'Jane Doe', email: 'Jane.Doe+x@GMail.com', consent: { terms: true } });
    const second = await t.sign({ name: 'Jane Doe', email: 'janedoe@gmail.com', consent: { terms: true } });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(await first.text()).toBe(await second.text());
    expect((await tableCounts(t.db)).signatures).toBe(1);
  });

  it('counts 50 concurrent identical signatures once and answers all 50 the same', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => t.sign(validSignature())));
    const answers = await Promise.all(responses.map(async (r) => `${r.status} ${await r.text()}`));
    expect(new Set(answers)).toEqual(new Set(['201 {"status":"counted"}']));
    expect(await tableCounts(t.db)).toMatchObject({ signatures: 1, signature_dedupe: 1 });
    expect((await counts()).signatures).toBe(1);
  });

  it('counts concurrent distinct signatures, grouped into fewer transactions than signatures', async () => {
    const n = 120;
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        t.sign(validSignature({ name: `Signer ${i}`, phone: `07${String(20_000_000 + i)}`, county: i % 2 ? 'KE-30' : 'KE-01' })),
      ),
    );
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect((await tableCounts(t.db)).signatures).toBe(n);
    expect(await counts()).toMatchObject({ signatures: n, byCounty: { 'KE-30': n / 2, 'KE-01': n / 2 } });
    expect(commits.reduce((sum, c) => sum + c.inserted, 0)).toBe(n);
    expect(commits.length).toBeLessThan(n);
  });

  it('keeps per-county counts, leaving signatures without a county out of byCounty', async () => {
    const signers = [
      ['0700000001', 'KE-30'],
      ['0700000002', 'KE-30'],
      ['0700000003', 'KE-47'],
      ['0700000004', undefined],
    ] as const;
    for (const [phone, county] of signers) expect((await t.sign(validSignature({ phone, county }))).status).toBe(201);
    expect(await counts()).toMatchObject({ signatures: 4, byCounty: { 'KE-30': 2, 'KE-47': 1 } });
  });

  it('stores names, e-mails, phones and comments encrypted, with consent, origin and source', async () => {
    const response = await t.sign(
      {
        name: 'Wanjirũ Kamau',
        email: 'wanjiru@example.org',
        phone: '0712 345 678',
        county: 'KE-30',
        comment: 'Haki sasa',
        locale: 'sw',
        source: 'newsletter-nov',
        consent: { terms: true, publicName: true, updates: true },
      },
      { Origin: PARTNER_ORIGIN, 'Idempotency-Key': 'stores-encrypted' },
    );
    expect(response.status).toBe(201);
    const row = (await t.db.client.execute('SELECT * FROM signatures')).rows[0]!;
    const crypto = new FieldCrypto(TEST_KEYS);
    expect(crypto.decrypt(String(row.name_enc), t.campaignId, 'name')).toBe('Wanjirũ Kamau');
    expect(crypto.decrypt(String(row.email_enc), t.campaignId, 'email')).toBe('wanjiru@example.org');
    expect(crypto.decrypt(String(row.phone_enc), t.campaignId, 'phone')).toBe('+254712345678');
    expect(crypto.decrypt(String(row.comment_enc), t.campaignId, 'comment')).toBe('Haki sasa');
    expect(row).toMatchObject({
      status: 'counted',
      county: 'KE-30',
      locale: 'sw',
      consent_terms: 1,
      consent_public_name: 1,
      consent_share_with_targets: 0,
      consent_updates: 1,
      consent_version: 'test-v1',
      origin: PARTNER_ORIGIN,
      source_ref: 'newsletter-nov',
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the stored answer on a retry and stores the signature once', async () => {
      const headers = { 'Idempotency-Key': 'b5a0c1f2-retry' };
      const first = await t.sign(validSignature(), headers);
      const retry = await t.sign(validSignature({ phone: '+254 712 345 678' }), headers); // same body, normalised
      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(await retry.text()).toBe(await first.text());
      expect(await tableCounts(t.db)).toMatchObject({ signatures: 1, idempotency_keys: 1 });
    });

    it('refuses the same key with another body (422 idempotency-conflict) and stores nothing for it', async () => {
      const headers = { 'Idempotency-Key': 'reused-key' };
      expect((await t.sign(validSignature(), headers)).status).toBe(201);
      const before = await tableCounts(t.db);
      await expectProblem(await t.sign(validSignature({ name: 'Someone Else', phone: '0799000000' }), headers), 422, 'idempotency-conflict');
      expect(await tableCounts(t.db)).toEqual(before);
    });

    it('keeps the key only as an HMAC', async () => {
      await t.sign(validSignature(), { 'Idempotency-Key': 'visible-key-123' });
      const row = (await t.db.client.execute('SELECT * FROM idempotency_keys')).rows[0]!;
      expect(Buffer.from(row.key_hmac as ArrayBuffer).toString('latin1')).not.toContain('visible-key-123');
      expect(row.response).toBe('{"status":"counted"}');
    });

    it('validates the key length (1–200 characters)', async () => {
      const problem = await expectProblem(await t.sign(validSignature(), { 'Idempotency-Key': 'k'.repeat(201) }), 422, 'validation');
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'idempotency-key', code: 'too_long' })]);
      expect(await tableCounts(t.db)).toEqual(EMPTY);
    });
  });

  describe('refusals store nothing', () => {
    afterEach(async () => {
      expect(await tableCounts(t.db)).toEqual(EMPTY);
    });

    it('404 not-found for an unknown campaign, a draft, or a path that cannot be a slug', async () => {
      await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'draft-one', status: 'draft' });
      await expectProblem(await t.sign(validSignature(), {}, 'no-such-campaign'), 404, 'not-found');
      await expectProblem(await t.sign(validSignature(), {}, 'draft-one'), 404, 'not-found');
      await expectProblem(await t.sign(validSignature(), {}, 'Not_A_Slug'), 404, 'not-found');
    });

    it('409 campaign-closed for a closed campaign, before opens_at and from closes_at on', async () => {
      const now = Date.now();
      await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'closed', status: 'closed' });
      await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'not-yet', opensAt: now + 3_600_000 });
      await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'over', closesAt: now - 1 });
      for (const slug of ['closed', 'not-yet', 'over']) {
        await expectProblem(await t.sign(validSignature(), {}, slug), 409, 'campaign-closed');
      }
    });

    it('422 validation with one coded error per field', async () => {
      const problem = await expectProblem(
        await t.sign({
          name: '=HYPERLINK("x")',
          email: 'not-an-email',
          phone: '0712',
          county: 'Nairobi',
          consent: { terms: false, extra: 1 },
          comment: 'x'.repeat(501),
          locale: 'fr',
          admin: true,
        }),
        422,
        'validation',
      );
      const byPath = Object.fromEntries((problem.errors ?? []).map((e) => [e.path, e.code]));
      expect(byPath).toEqual({
        name: 'invalid_name',
        email: 'invalid_email',
        phone: 'invalid_phone',
        county: 'invalid_county',
        'consent.terms': 'consent_required',
        'consent.extra': 'unknown_field',
        comment: 'too_long',
        locale: 'invalid_locale',
        admin: 'unknown_field',
      });
      for (const error of problem.errors ?? []) expect(error.message).toEqual(expect.any(String));
    });

    it('says its field errors in the language the request asks for: the body\'s locale, else Accept-Language, else English', async () => {
      const invalid = { name: '', phone: '0712', consent: { terms: false } };
      const messages = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
        const response = await t.sign(body, headers);
        const problem = await expectProblem(response, 422, 'validation');
        return { language: response.headers.get('Content-Language'), vary: response.headers.get('Vary'), title: problem.title, errors: problem.errors ?? [] };
      };
      const byCode = (errors: NonNullable<Problem['errors']>) => Object.fromEntries(errors.map((e) => [e.code, e.message]));

      const english = await messages(invalid);
      expect(english.language).toBe('en');
      expect(english.title).toBe('The request has invalid fields');
      expect(byCode(english.errors)).toEqual({
        required: FIELD_ERROR_MESSAGES.required,
        invalid_phone: FIELD_ERROR_MESSAGES.invalid_phone,
        consent_required: FIELD_ERROR_MESSAGES.consent_required,
      });

      // Accept-Language alone (the widget's own `lang` missing): Kiswahili, and caches told the answer varies.
      const fromBrowser = await messages(invalid, { 'Accept-Language': 'sw-KE,sw;q=0.9,en;q=0.5' });
      expect(fromBrowser.language).toBe('sw');
      expect(fromBrowser.vary).toMatch(/Accept-Language/);
      expect(fromBrowser.title).toBe('Ombi lina sehemu zenye makosa'); // the title too, not only the fields
      expect(byCode(fromBrowser.errors)).toEqual({
        required: 'Sehemu hii ni lazima ijazwe.',
        invalid_phone: 'Weka nambari halali ya simu, kwa mfano 0712 345678 au +254 712 345678.',
        consent_required: 'Unahitaji kukubali masharti ili kutia sahihi.',
      });

      // The widget's explicit language wins over the browser's, either way.
      const fromWidget = await messages({ ...invalid, locale: 'sw' }, { 'Accept-Language': 'en-GB,en' });
      expect(fromWidget.language).toBe('sw');
      expect(byCode(fromWidget.errors)).toEqual(byCode(fromBrowser.errors));
      expect(fromWidget.title).toBe(fromBrowser.title);
      const englishWidget = await messages({ ...invalid, locale: 'en' }, { 'Accept-Language': 'sw' });
      expect(byCode(englishWidget.errors)).toEqual(byCode(english.errors));

      // An unsupported locale is itself an error, and does not choose the language: Accept-Language does.
      const unsupported = await messages({ ...invalid, locale: 'fr' }, { 'Accept-Language': 'sw' });
      expect(byCode(unsupported.errors)['invalid_locale']).toBe('Lugha hii haitumiki.');
      // The Idempotency-Key error comes before the body is read, from the headers alone.
      const key = await messages(validSignature(), { 'Idempotency-Key': 'k'.repeat(201), 'Accept-Language': 'sw' });
      expect(byCode(key.errors)).toEqual({ too_long: 'Thamani hii ni ndefu mno.' });
      expect(await tableCounts(t.db)).toEqual(EMPTY);

      // Every other problem's title follows the language as well: a missing page, a site that is not a partner.
      const lost = await t.request('/v1/campaigns/no-such-campaign', { headers: { 'Accept-Language': 'sw' } });
      expect(lost.headers.get('Content-Language')).toBe('sw');
      expect(((await lost.json()) as Problem).title).toBe('Haikupatikana');
      const foreign = await t.sign(validSignature(), { Origin: 'https://elsewhere.example', 'Accept-Language': 'sw' });
      expect((await expectProblem(foreign, 403, 'forbidden-origin')).title).toBe('Tovuti hii hairuhusiwi kutuma sahihi');
    });

    it('never echoes input back in a problem', async () => {
      const marker = 'Zawadi-Unique-Marker';
      const response = await t.sign({ name: `${marker} https://spam.example`, phone: `${marker}`, consent: { terms: true } });
      expect(await response.text()).not.toContain(marker);
    });

    it('422 for a phone that is not a real number, a missing contact, missing consent, and a non-object body', async () => {
      const invalidPhone = await expectProblem(await t.sign(validSignature({ phone: '0712 000' })), 422, 'validation');
      expect(invalidPhone.errors).toEqual([expect.objectContaining({ path: 'phone', code: 'invalid_phone' })]);
      const noContact = await expectProblem(await t.sign({ name: 'Akinyi', consent: { terms: true } }), 422, 'validation');
      expect(noContact.errors).toEqual([expect.objectContaining({ path: 'email', code: 'contact_required' })]);
      const noConsent = await expectProblem(await t.sign({ name: 'Akinyi', phone: '0712345678' }), 422, 'validation');
      expect(noConsent.errors).toEqual([expect.objectContaining({ path: 'consent', code: 'consent_required' })]);
      const array = await expectProblem(await t.sign('[1, 2]'), 422, 'validation');
      expect(array.errors?.[0]).toMatchObject({ path: '', code: 'invalid_type' });
    });

    it('415 unsupported-media-type unless the body is JSON', async () => {
      const url = `/v1/campaigns/${t.slug}/signatures`;
      const body = JSON.stringify(validSignature());
      await expectProblem(await t.request(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body }), 415, 'unsupported-media-type');
      await expectProblem(
        await t.request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=x' }),
        415,
        'unsupported-media-type',
      );
      await expectProblem(await t.request(url, { method: 'POST', body }), 415, 'unsupported-media-type');
    });

    it('400 bad-request for malformed JSON', async () => {
      await expectProblem(await t.sign('{"name": "Akinyi", '), 400, 'bad-request');
      await expectProblem(await t.sign(''), 400, 'bad-request');
    });

    it('413 payload-too-large over 16 KB, with or without Content-Length', async () => {
      const big = JSON.stringify(validSignature({ comment: 'x'.repeat(17 * 1024) }));
      await expectProblem(await t.sign(big), 413, 'payload-too-large');
      await expectProblem(await t.sign(big, { 'Content-Length': String(Buffer.byteLength(big)) }), 413, 'payload-too-large');
      // Just under the limit passes the size check (and fails validation on the long comment instead).
      const fits = JSON.stringify(validSignature({ comment: 'x'.repeat(16 * 1024 - 200) }));
      const atLimit = await t.sign(fits, { 'Content-Length': String(Buffer.byteLength(fits)) });
      expect((await expectProblem(atLimit, 422, 'validation')).errors).toEqual([expect.objectContaining({ path: 'comment', code: 'too_long' })]);
      // A streamed body announces no length: the limit is enforced while reading.
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      });
      const streamed = await t.request(`/v1/campaigns/${t.slug}/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      await expectProblem(streamed, 413, 'payload-too-large');
    });

    it('403 forbidden-origin for a browser on a site that is not a partner', async () => {
      await expectProblem(await t.sign(validSignature(), { Origin: 'https://evil.example' }), 403, 'forbidden-origin');
      await expectProblem(await t.sign(validSignature(), { Origin: 'null' }), 403, 'forbidden-origin');
    });
  });
});

describe('data at rest', () => {
  it('a copy of the database file (WAL included) holds no name, e-mail or phone in clear', async () => {
    const people = [
      { name: 'Nyokabi Wambui Kariuki', email: 'Nyokabi.Wambui+petition@GMail.com', phone: '0712 987 654' },
      { name: 'Odhiambo Otieno Ouma', email: 'odhiambo.ouma@example.co.ke', phone: '0110 765 432' },
      { name: 'Fatuma Abdi Hassan', email: 'fatuma.hassan@example.org', phone: '+254 723 456 789' },
    ];
    for (const person of people) {
      const response = await t.sign({ ...person, comment: `Comment by ${person.name}`, consent: { terms: true } }, { 'Idempotency-Key': `key-${person.phone}` });
      expect(response.status).toBe(201);
    }
    // Close the app and the database so the WAL is checkpointed, then also copy any -wal left over.
    const copyDir = mkdtempSync(path.join(tmpdir(), 'imlu-copy-'));
    try {
      await t.api.close();
      t.db.close();
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(t.file + suffix)) copyFileSync(t.file + suffix, path.join(copyDir, `copy.db${suffix}`));
      }
      const bytes = Buffer.concat(
        ['', '-wal', '-shm'].filter((s) => existsSync(path.join(copyDir, `copy.db${s}`))).map((s) => readFileSync(path.join(copyDir, `copy.db${s}`))),
      );
      // Positive control: public campaign text is stored in clear, so the search does see the data pages.
      expect(bytes.includes(Buffer.from('Kampeni ya majaribio'))).toBe(true);
      const forbidden = people.flatMap((p) => {
        const digits = p.phone.replace(/\D/g, '');
        const national = digits.startsWith('254') ? digits.slice(3) : digits.replace(/^0/, '');
        return [
          p.name,
          ...p.name.split(' '),
          p.email,
          p.email.toLowerCase(),
          p.email.split('@')[0]!,
          p.phone,
          `+254${national}`, // E.164
          `254${national}`,
          `0${national}`,
          national,
          `Comment by ${p.name}`,
        ];
      });
      forbidden.push('nyokabiwambui@gmail.com'); // the canonical form used for dedupe
      for (const text of forbidden) {
        for (const encoding of ['utf8', 'utf16le'] as const) {
          expect(bytes.includes(Buffer.from(text, encoding)), `${text} (${encoding})`).toBe(false);
        }
      }
      // The copy is a working database whose signatures are all there (so the search above looked at data).
      const copy = await createDb(`file:${path.join(copyDir, 'copy.db')}`);
      try {
        expect(Number((await copy.client.execute('SELECT COUNT(*) FROM signatures')).rows[0]![0])).toBe(3);
      } finally {
        copy.close();
      }
    } finally {
      rmSync(copyDir, { recursive: true, force: true });
    }
  });
});
