/**
 * The hosted page on a campaign that confirms by SMS, as a signer on a feature phone meets it: plain form
 * posts only. After the signature the page asks for the code; the code (read from the SMS the local
 * Africa's Talking server received) confirms through the widget's path, with its limits; "send the code
 * again" replaces the code, "change the number" returns the form filled in. All in the signer's language.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { africasTalkingProvider } from '../messages/sms.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from '../../test/africastalking.ts';
import { createTestApi, storedCounts, type TestApi } from '../../test/helpers.ts';
import { MAX_CODE_ATTEMPTS } from '../confirm/confirmations.handlers.ts';

let at: TestAfricasTalking;
let t: TestApi;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 11, 6, 9, 0, 0);
  at = await startTestAfricasTalking();
  t = await createTestApi({
    campaign: { verification: 'sms' },
    clock: () => now,
    publicBaseUrl: 'https://sign.imlu.example',
    sms: africasTalkingProvider({ username: at.username, apiKey: at.apiKey, from: 'IMLU', baseUrl: at.baseUrl }),
    outbox: { random: () => 1 },
  });
});
afterEach(async () => {
  await t.close();
  await at.stop();
});

const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin', Origin: 'http://localhost' };

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = SAME_ORIGIN) {
  const response = await t.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { response, html: await response.text() };
}

/** The hidden fields of the form whose submit button has this `do` value, as a browser would send them. */
function formFields(html: string, action: string): { path: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>(.*?)<\/form>/g)];
  const form = forms.find((match) => match[2]!.includes(`name="do" value="${action}"`));
  if (!form) throw new Error(`no form with do=${action}`);
  const fields: Record<string, string> = { do: action };
  for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[input[1]!] = input[2]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return { path: form[1]!.replace(/&amp;/g, '&'), fields };
}

async function signOnPage(lang: 'sw' | 'en', phone = '0712 345 678') {
  const page = await t.request(`/c/${t.slug}?lang=${lang}`);
  const token = /name="token" value="([^"]+)"/.exec(await page.text())![1]!;
  now += 5000;
  return post(`/c/${t.slug}`, { token, lang, name: 'Wanjirũ Kamau', phone, county: 'KE-30', terms: 'yes', updates: 'yes' });
}

async function lastCode(): Promise<string> {
  await t.api.outbox.runOnce();
  return /\b(\d{6})\b/.exec(at.sent.at(-1)!.message)![1]!;
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const counts = () => storedCounts(t.db);

describe('the hosted page on an SMS campaign', () => {
  it('speaks of a pledge on a pledge campaign\'s code step', async () => {
    await t.db.client.execute({ sql: "UPDATE campaigns SET kind = 'pledge' WHERE id = ?", args: [t.campaignId] });
    for (const [lang, button, before] of [
      ['sw', 'Thibitisha ahadi yangu', 'Ikiwa umewahi kutoa ahadi kwa nambari hii'],
      ['en', 'Confirm my pledge', 'If you have pledged before with this number'],
    ] as const) {
      const signed = await signOnPage(lang);
      expect(signed.response.status).toBe(200);
      expect(signed.html).toContain(`value="confirm">${button}</button>`);
      expect(signed.html).toContain(before);
    }
  });

  it('asks for the code after signing, refuses a wrong one, and counts once with the right one (Kiswahili)', async () => {
    const signed = await signOnPage('sw');
    expect(signed.response.status).toBe(200);
    expect(signed.html).toContain('<html lang="sw">');
    expect(signed.html).toContain('<h1>Weka msimbo uliopokea kwa SMS</h1>');
    expect(signed.html).toContain('kwa SMS kwenda 0712 345 678.');
    // A duplicate gets this same page and no SMS: the page says why a code may not come.
    expect(signed.html).toContain('Ikiwa umewahi kutia sahihi kwa nambari hii, sahihi yako tayari inahesabiwa');
    expect(signed.html).toContain('autocomplete="one-time-code"');
    expect(signed.html).not.toMatch(/<script|\son\w+=/i);
    // The handle and the signer's details travel only in POST forms, never in a link.
    expect(signed.html).not.toMatch(/href="[^"]*(handle|0712|Wanjir)/);
    const code = await lastCode();
    expect(at.sent[0]!.message).toMatch(/^Nambari yako ya kuthibitisha: \d{6}\./);

    const confirm = formFields(signed.html, 'confirm');
    expect(confirm.path).toBe(`/c/${t.slug}/code?lang=sw`);
    const bad = await post(confirm.path, { ...confirm.fields, code: wrong(code) });
    expect(bad.response.status).toBe(422);
    expect(bad.html).toContain('<span class="e" id="e-code" role="alert">Msimbo huo si sahihi. Angalia SMS kisha ujaribu tena.</span>');
    expect(bad.html).toContain('aria-invalid="true" aria-describedby="e-code"');
    const notDigits = await post(confirm.path, { ...confirm.fields, code: '12ab' });
    expect(notDigits.response.status).toBe(422);
    expect(notDigits.html).toContain('Andika tarakimu 6 za msimbo');
    expect(await counts()).toMatchObject({ counted: 0, pending: 1 });

    // Typed the way people type it, with a space.
    const good = await post(confirm.path, { ...formFields(bad.html, 'confirm').fields, code: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(good.response.status).toBe(200);
    expect(good.html).toContain('<h1>Asante kwa kutia sahihi</h1><p>Sahihi yako imehesabiwa.</p>');
    // Its links lead back to the petition, not to the code step.
    expect(good.html).toContain(`href="/c/${t.slug}?lang=en"`);
    expect(await counts()).toMatchObject({ counted: 1, pending: 0 });
  });

  it('sends the code again: the old code stops working and the new one confirms', async () => {
    const signed = await signOnPage('en');
    const first = await lastCode();
    const resend = formFields(signed.html, 'resend');
    const again = await post(resend.path, resend.fields);
    expect(again.response.status).toBe(200);
    expect(again.html).toContain('A new code is on its way. The previous code no longer works.');
    const second = await lastCode();
    expect(at.sent).toHaveLength(2);
    expect(second).not.toBe(first);

    const confirm = formFields(again.html, 'confirm');
    expect((await post(confirm.path, { ...confirm.fields, code: first })).response.status).toBe(422);
    const good = await post(confirm.path, { ...confirm.fields, code: second });
    expect(good.html).toContain('Your signature has been counted.');
    expect(await counts()).toMatchObject({ counted: 1, pending: 0 });
  });

  it('stops a code after its tries; a new code works again', async () => {
    const signed = await signOnPage('en');
    const code = await lastCode();
    const confirm = formFields(signed.html, 'confirm');
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) await post(confirm.path, { ...confirm.fields, code: wrong(code) });
    const spent = await post(confirm.path, { ...confirm.fields, code });
    expect(spent.response.status).toBe(429);
    expect(spent.html).toContain('This code was tried too many times. Ask for a new code below');
    expect(await counts()).toMatchObject({ counted: 0, pending: 1 });

    const again = await post(formFields(spent.html, 'resend').path, formFields(spent.html, 'resend').fields);
    const fresh = await lastCode();
    const good = await post(confirm.path, { ...formFields(again.html, 'confirm').fields, code: fresh });
    expect(good.response.status).toBe(200);
    expect(await counts()).toMatchObject({ counted: 1, pending: 0 });
  });

  it('changes the number: the form comes back filled in, focused on the phone, and the new number gets the code', async () => {
    const signed = await signOnPage('sw', '0712 000 111');
    const change = formFields(signed.html, 'change');
    const back = await post(change.path, change.fields);
    expect(back.response.status).toBe(200);
    expect(back.html).toContain('Rekebisha nambari yako ya simu kisha utume fomu tena.');
    expect(back.html).toContain('name="name" value="Wanjirũ Kamau"');
    expect(back.html).toMatch(/name="phone" value="0712 000 111"[^>]*autofocus/);
    expect(back.html).toContain('<option value="KE-30" selected>');
    expect(back.html).toMatch(/name="terms" value="yes" checked/);

    const token = /name="token" value="([^"]+)"/.exec(back.html)![1]!;
    const again = await post(`/c/${t.slug}`, { token, lang: 'sw', name: 'Wanjirũ Kamau', phone: '0712 345 678', terms: 'yes' });
    expect(again.html).toContain('kwenda 0712 345 678.');
    await t.api.outbox.runOnce();
    expect(at.sent.map((sms) => sms.to)).toEqual(['+254712000111', '+254712345678']);
    const code = /\b(\d{6})\b/.exec(at.sent[1]!.message)![1]!;
    const confirm = formFields(again.html, 'confirm');
    expect((await post(confirm.path, { ...confirm.fields, code })).response.status).toBe(200);
    expect(await counts()).toMatchObject({ counted: 1, pending: 1 });
  });

  it('shows the code step in the other language without losing it, and refuses a cross-site code post', async () => {
    const signed = await signOnPage('sw');
    const code = await lastCode();
    const english = formFields(signed.html, 'show');
    expect(english.path).toBe(`/c/${t.slug}/code?lang=en`);
    expect(english.fields.lang).toBe('en');
    const shown = await post(english.path, english.fields);
    expect(shown.html).toContain('<h1>Enter the code from the SMS</h1>');

    const confirm = formFields(shown.html, 'confirm');
    const forged = await post(confirm.path, { ...confirm.fields, code }, { 'Sec-Fetch-Site': 'cross-site' });
    expect(forged.response.status).toBe(403);
    expect(await counts()).toMatchObject({ counted: 0, pending: 1 });
    expect((await post(confirm.path, { ...confirm.fields, code })).html).toContain('Your signature has been counted.');
  });

  it('answers a number that already counts with the same code step, and sends it no SMS', async () => {
    const first = await signOnPage('en');
    const code = await lastCode();
    const confirm = formFields(first.html, 'confirm');
    await post(confirm.path, { ...confirm.fields, code });
    const again = await signOnPage('en');
    const shape = (html: string) => html.replace(/value="[^"]*"/g, 'value=""');
    expect(shape(again.html)).toBe(shape(first.html));
    await t.api.outbox.runOnce();
    expect(at.sent).toHaveLength(1);
    expect(await counts()).toMatchObject({ counted: 1, pending: 0 });
  });

  it('asks for a phone number plainly: required, with the e-mail address optional', async () => {
    const html = await (await t.request(`/c/${t.slug}?lang=sw`)).text();
    expect(html).toContain('<strong>Nambari ya simu ni lazima: tutaitumia msimbo wa kuthibitisha. Anwani ya barua pepe si lazima.</strong>');
    expect(html).toContain('<label for="f-phone">Nambari ya simu (lazima)</label>');
    expect(html).toContain('<label for="f-email">Anwani ya barua pepe (si lazima)</label>');
    expect(html).toMatch(/id="f-phone"[^>]*aria-required="true"/);
  });
});
