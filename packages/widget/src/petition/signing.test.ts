/**
 * The lazily loaded signing chunk and the bot checks: nothing but the campaign loads before the signer
 * touches the form; a chunk that fails to download is retried on the next press with nothing typed lost;
 * the honeypot, the fill time and the ALTCHA solution go with the signature; and the SMS code form.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createChallenge } from 'altcha-lib/v1';
import '../imlu-petition.ts';
import { lazy, type ImluPetition } from './petition.component.ts';
import { apiRoutes, campaignFixture, json, problem, settle, stubFetch, uniqueApi, type FetchStub, type Route } from '../testing/fixtures.ts';

const $ = <T extends HTMLElement = HTMLElement>(el: ImluPetition, selector: string): T => {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in <imlu-petition>`);
  return found;
};
const focused = (el: ImluPetition) => el.shadowRoot!.activeElement;

async function petition(lang = 'en'): Promise<ImluPetition> {
  const el = await fixture<ImluPetition>(
    html`<imlu-petition lang=${lang} campaign="justice-for-survivors" api=${uniqueApi()}></imlu-petition>`,
  );
  await waitUntil(() => el.shadowRoot!.querySelector('form'), 'petition did not load');
  return el;
}

function fillValid(el: ImluPetition): void {
  for (const [id, value] of Object.entries({ name: 'Wanjirũ Kamau', phone: '0712 345 678' })) {
    const input = $<HTMLInputElement>(el, `#${id}`);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  $<HTMLInputElement>(el, '#terms').checked = true;
}

const submit = (el: ImluPetition) => $<HTMLButtonElement>(el, '[part="submit"]').click();

const SMS = { status: 'pending_verification', confirmation: { channel: 'sms', handle: 'v1.opaque' } };

describe('<imlu-petition> signing chunk', () => {
  let stub: FetchStub;
  let original: typeof lazy.signing;
  let loads: number;
  beforeEach(() => {
    original = lazy.signing;
    loads = 0;
    lazy.signing = () => (loads++, original());
  });
  afterEach(() => {
    lazy.signing = original;
    stub?.restore();
  });

  it('loads nothing but the campaign until the signer touches the form, then the chunk once', async () => {
    stub = stubFetch(apiRoutes());
    const el = await petition();
    await settle();
    expect(loads).to.equal(0);
    expect(stub.calls.map((call) => new URL(call.url).pathname)).to.deep.equal(['/v1/campaigns/justice-for-survivors/form']);
    $(el, '#name').dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    expect(loads).to.equal(1);
    $(el, '#phone').dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    expect(loads).to.equal(1);
  });

  it('says so in both languages when the chunk cannot load, keeps what was typed, and retries on the next press', async () => {
    stub = stubFetch(apiRoutes({ sign: () => json({ status: 'counted' }, 201) }));
    let fail = true;
    lazy.signing = () => (loads++, fail ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : original());
    const el = await petition('sw');
    fillValid(el);
    submit(el);
    await waitUntil(() => focused(el)?.id === 'chunk-failed');
    expect($(el, '[role="alert"]').textContent).to.contain('Fomu haikumaliza kupakia');
    expect($<HTMLInputElement>(el, '#name').value).to.equal('Wanjirũ Kamau');
    expect($<HTMLButtonElement>(el, '[part="submit"]').disabled).to.equal(false);
    await expect(el).to.be.accessible();

    fail = false;
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
    expect(stub.callsTo('/signatures')).to.have.length(1);
    expect(loads).to.be.greaterThan(1);
  });
});

describe('<imlu-petition> switching campaigns', () => {
  let stub: FetchStub;
  afterEach(() => stub?.restore());

  it('shows the form again for another campaign after signing one', async () => {
    stub = stubFetch(apiRoutes({ sign: () => json({ status: 'counted' }, 201) }));
    const el = await petition();
    fillValid(el);
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
    el.campaign = 'another-campaign';
    await waitUntil(() => el.shadowRoot!.querySelector('form[part="form"]'), 'the form did not come back');
    expect(el.shadowRoot!.querySelector('[part="thank-you"]')).to.equal(null);
  });
});

describe('<imlu-petition> bot checks', () => {
  let stub: FetchStub;
  afterEach(() => stub?.restore());

  it('has a honeypot hidden from people and screen readers, and sends what a bot puts in it', async () => {
    stub = stubFetch(apiRoutes());
    const el = await petition();
    const trap = $<HTMLInputElement>(el, 'input[name="website"]');
    expect(trap.tabIndex).to.equal(-1);
    expect(trap.getAttribute('autocomplete')).to.equal('off');
    expect(trap.closest('[aria-hidden="true"]')).not.to.equal(null);
    expect(trap.getBoundingClientRect().right).to.be.below(0); // off-screen, not display:none
    fillValid(el);
    trap.value = 'https://spam.example';
    submit(el);
    await waitUntil(() => stub.callsTo('/signatures').length === 1);
    expect((stub.callsTo('/signatures')[0]!.body as { website: string }).website).to.equal('https://spam.example');
    await expect(el).to.be.accessible();
  });

  it('sends elapsedMs from the first touch of the form to the press of the button', async () => {
    stub = stubFetch(apiRoutes());
    const now = performance.now;
    let clock = 10_000;
    performance.now = () => clock;
    try {
      const el = await petition();
      $(el, '#name').dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      clock = 14_321;
      fillValid(el);
      submit(el);
      await waitUntil(() => stub.callsTo('/signatures').length === 1);
    } finally {
      performance.now = now;
    }
    expect((stub.callsTo('/signatures')[0]!.body as { elapsedMs: number }).elapsedMs).to.equal(4321);
  });

  describe('ALTCHA', () => {
    const altcha = campaignFixture({ challenge: 'altcha' });
    const challenge = () => createChallenge({ hmacKey: 'test-key', maxnumber: 500 });

    it('fetches a challenge on the first touch, solves it, and sends the payload the server verifies', async () => {
      const issued = await challenge();
      stub = stubFetch(apiRoutes({ campaign: altcha, challenge: () => json(issued) }));
      const el = await petition();
      await settle();
      expect(stub.callsTo('/challenge')).to.have.length(0);
      fillValid(el);
      await waitUntil(() => stub.callsTo('/challenge').length === 1);
      submit(el);
      await waitUntil(() => stub.callsTo('/signatures').length === 1);
      const payload = JSON.parse(atob((stub.callsTo('/signatures')[0]!.body as { altcha: string }).altcha)) as Record<string, unknown>;
      expect(Object.keys(payload).sort()).to.deep.equal(['algorithm', 'challenge', 'number', 'salt', 'signature']);
      expect(payload).to.include({ algorithm: issued.algorithm, challenge: issued.challenge, salt: issued.salt, signature: issued.signature });
      const { verifySolution } = await import('altcha-lib/v1');
      expect(await verifySolution(payload as never, 'test-key')).to.equal(true);
    });

    it('on challenge_failed solves a fresh challenge and retries once with a NEW key, then gives up plainly', async () => {
      const challenges = [await challenge(), await challenge(), await challenge()];
      let issued = 0;
      let answers = [problem('validation', 422, [{ path: 'altcha', code: 'challenge_failed' }]), json({ status: 'counted' }, 201)];
      stub = stubFetch(
        apiRoutes({ campaign: altcha, challenge: () => json(challenges[issued++ % 3]), sign: () => answers.shift()! }),
      );
      const el = await petition();
      fillValid(el);
      submit(el);
      await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
      const [first, second] = stub.callsTo('/signatures');
      expect(second!.headers.get('idempotency-key')).not.to.equal(first!.headers.get('idempotency-key'));
      const salt = (call: typeof first) => (JSON.parse(atob((call!.body as { altcha: string }).altcha)) as { salt: string }).salt;
      expect(salt(second)).not.to.equal(salt(first));

      // Twice refused: one automatic retry only, then a message in the signer's language.
      const refused = () => problem('validation', 422, [{ path: 'altcha', code: 'challenge_required' }]);
      answers = [refused(), refused(), refused()];
      const again = await petition('sw');
      fillValid(again);
      submit(again);
      await waitUntil(() => focused(again)?.id === 'retry');
      expect($(again, '[role="alert"]').textContent).to.contain('Ukaguzi wa kiotomatiki');
      expect(stub.callsTo('/signatures')).to.have.length(4);
    });
  });
});

describe('<imlu-petition> SMS code', () => {
  let stub: FetchStub;
  afterEach(() => stub?.restore());

  async function codeForm(confirm: Route, lang = 'en') {
    stub = stubFetch(apiRoutes({ sign: () => json(SMS, 202), confirm }));
    const el = await petition(lang);
    fillValid(el);
    submit(el);
    await waitUntil(() => focused(el)?.id === 'code-heading');
    return el;
  }

  function enter(el: ImluPetition, code: string): void {
    $<HTMLInputElement>(el, '#code').value = code;
    $<HTMLButtonElement>(el, 'section form button').click();
  }

  it('asks for the 6-digit code accessibly, and POSTs it with the handle and the custom header', async () => {
    const el = await codeForm(() => json({ status: 'counted' }));
    const input = $<HTMLInputElement>(el, '#code');
    expect(input.getAttribute('inputmode')).to.equal('numeric');
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect($(el, 'label[for="code"]').textContent).to.contain('6 digits');
    await expect(el).to.be.accessible();

    enter(el, '12345');
    await waitUntil(() => focused(el)?.id === 'code');
    expect(input.getAttribute('aria-describedby')).to.equal('code-error');
    expect($(el, '#code-error').textContent).to.equal('Enter the 6 digits from the SMS.');
    expect(stub.callsTo('/confirmations')).to.have.length(0);

    enter(el, '123 456');
    await waitUntil(() => focused(el)?.id === 'thanks-heading');
    const [call] = stub.callsTo('/confirmations');
    expect(call!.url).to.match(/\/v1\/campaigns\/justice-for-survivors\/confirmations$/);
    expect(call!.body).to.deep.equal({ handle: 'v1.opaque', code: '123456' });
    expect(call!.headers.get('idempotency-key')).to.be.a('string');
    expect(call!.credentials).to.equal('omit');
    expect($(el, '[part="thank-you"]').textContent).to.contain('Your signature has been counted.');
  });

  it('says a wrong code is wrong, and after too many tries offers a new code instead of a dead end', async () => {
    let tries = 0;
    const el = await codeForm(() =>
      ++tries < 2 ? problem('validation', 422, [{ path: 'code', code: 'invalid' }]) : problem('rate-limited', 429),
    'sw');
    enter(el, '000000');
    await waitUntil(() => el.shadowRoot!.querySelector('#code-error'));
    expect($(el, '#code-error').textContent).to.contain('Msimbo huo si sahihi');
    expect($(el, '#code').getAttribute('aria-invalid')).to.equal('true');
    enter(el, '111111');
    await waitUntil(() => focused(el)?.id === 'code-error');
    expect($(el, '#code-error').textContent).to.contain('Omba msimbo mpya');
    expect($(el, '#code-error').textContent).to.contain('kiungo kilicho kwenye SMS');
    expect(el.shadowRoot!.querySelector('#code')).to.equal(null);
    // The way on is the next thing in the tab order, and it is the main button now.
    const resend = $<HTMLButtonElement>(el, '#resend');
    expect(resend.textContent).to.equal('Nitumie msimbo mpya');
    expect(resend.classList.contains('secondary')).to.equal(false);
    await expect(el).to.be.accessible();

    resend.click();
    await waitUntil(() => focused(el)?.id === 'code', 'the code input did not come back');
    expect(stub.callsTo('/confirmations/resend')).to.have.length(1);
    expect($(el, '[role="status"]').textContent).to.contain('Msimbo mpya uko njiani');
    expect(el.shadowRoot!.querySelector('#code-error')).to.equal(null);
    await expect(el).to.be.accessible();
    tries = -10;
    enter(el, '222222');
    await waitUntil(() => el.shadowRoot!.querySelector('#code-error'));
    expect(stub.callsTo('/confirmations')).to.have.length(3);
  });

  it('shows what the signer is confirming: name, county and each choice as sent, in their language', async () => {
    stub = stubFetch(apiRoutes({ sign: () => json(SMS, 202) }));
    const el = await petition();
    fillValid(el);
    const county = $<HTMLSelectElement>(el, '#county');
    county.value = 'KE-47';
    county.dispatchEvent(new Event('change', { bubbles: true }));
    $<HTMLInputElement>(el, '#shareWithTargets').checked = true;
    submit(el);
    await waitUntil(() => focused(el)?.id === 'code-heading');
    const rows = () => [...el.shadowRoot!.querySelectorAll('dl > div')].map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent]);
    expect(rows()).to.deep.equal([
      ['Your name', 'Wanjirũ Kamau'],
      ['County', 'West Pokot'],
      ['Show my name publicly', 'No'],
      ['Share my name with the officials this petition is addressed to', 'Yes'],
      ['Send me updates about this campaign', 'No'],
    ]);
    expect($(el, 'section h4').textContent).to.equal('What you are confirming');
    expect($(el, 'section').textContent).to.contain('If you have signed before with this number, your signature already counts');
    await expect(el).to.be.accessible();

    el.setAttribute('lang', 'sw');
    await waitUntil(() => rows()[0]![0] === 'Jina lako', 'the summary did not follow the language');
    expect(rows()).to.deep.equal([
      ['Jina lako', 'Wanjirũ Kamau'],
      ['Kaunti', 'Pokot Magharibi'],
      ['Onyesha jina langu hadharani', 'Hapana'],
      ['Shiriki jina langu na maafisa ambao ombi hili linawalenga', 'Ndiyo'],
      ['Nitumie taarifa mpya kuhusu kampeni hii', 'Hapana'],
    ]);
    expect($(el, 'section h4').textContent).to.equal('Unachothibitisha');
    expect($(el, 'section').textContent).to.contain('sahihi yako tayari inahesabiwa');
    await expect(el).to.be.accessible();
  });

  it('leaves the county out of the summary when none was given', async () => {
    const el = await codeForm(() => json({ status: 'counted' }));
    expect([...el.shadowRoot!.querySelectorAll('dt')].map((dt) => dt.textContent)).not.to.include('County');
  });

  it('asks for a new code with the handle, says one is on its way, and empties and focuses the code input', async () => {
    const el = await codeForm(() => problem('validation', 422, [{ path: 'code', code: 'invalid' }]));
    enter(el, '000000');
    await waitUntil(() => el.shadowRoot!.querySelector('#code-error'));
    $<HTMLInputElement>(el, '#code').value = '000000';
    const resend = $<HTMLButtonElement>(el, '#resend');
    expect(resend.type).to.equal('button');
    resend.focus();
    resend.click();
    await waitUntil(() => focused(el)?.id === 'code');
    const [call] = stub.callsTo('/confirmations/resend');
    expect(call!.method).to.equal('POST');
    expect(call!.url).to.match(/\/v1\/campaigns\/justice-for-survivors\/confirmations\/resend$/);
    expect(call!.body).to.deep.equal({ handle: 'v1.opaque' });
    expect(call!.headers.get('content-type')).to.equal('application/json');
    expect(call!.headers.get('idempotency-key')).to.be.a('string');
    expect(call!.credentials).to.equal('omit');
    expect($(el, '[role="status"]').textContent).to.equal('A new code is on its way. The previous code no longer works.');
    expect($<HTMLInputElement>(el, '#code').value).to.equal('');
    expect(el.shadowRoot!.querySelector('#code-error')).to.equal(null);
    // No new code was typed yet, so nothing went to /confirmations but the first try.
    expect(stub.callsTo('/confirmations')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('on 429 says how long to wait (Retry-After), in seconds or minutes, and the button works again later', async () => {
    let answer = () => problem('rate-limited', 429, undefined, { 'Retry-After': '30' });
    stub = stubFetch(apiRoutes({ sign: () => json(SMS, 202), resend: () => answer() }));
    const el = await petition();
    fillValid(el);
    submit(el);
    await waitUntil(() => focused(el)?.id === 'code-heading');
    const resend = $<HTMLButtonElement>(el, '#resend');
    const status = () => $(el, 'section [role="status"]').textContent;
    const errors: string[] = [];
    el.addEventListener('imlu-error', (event) => errors.push(event.detail.type));

    resend.focus();
    resend.click();
    await waitUntil(() => status()!.includes('30 s'));
    expect(status()).to.equal('You have asked for new codes often. Please wait 30 s, then ask again.');
    expect(focused(el)).to.equal(resend);
    expect(resend.disabled).to.equal(false);
    expect(errors).to.deep.equal(['urn:imlu:problem:rate-limited']);
    await expect(el).to.be.accessible();

    answer = () => problem('rate-limited', 429, undefined, { 'Retry-After': '600' });
    resend.click();
    await waitUntil(() => status()!.includes('10 min'));
    el.setAttribute('lang', 'sw');
    await waitUntil(() => status()!.includes('dakika 10'), 'the wait did not follow the language');
    expect(status()).to.equal('Umeomba misimbo mipya mara nyingi. Tafadhali subiri dakika 10, kisha uombe tena.');

    // No Retry-After: the codes for these details are used up, and waiting would not help.
    answer = () => problem('rate-limited', 429);
    resend.click();
    await waitUntil(() => status()!.startsWith('Hakuna misimbo mipya zaidi'));

    answer = () => json({ status: 'queued' }, 202);
    resend.click();
    await waitUntil(() => focused(el)?.id === 'code');
    expect(status()).to.contain('Msimbo mpya uko njiani');
    expect(stub.callsTo('/confirmations/resend')).to.have.length(4);
  });

  it('says so when a new code cannot be asked for (network, server), and keeps the code form', async () => {
    let answer: () => Response | Promise<Response> = () => Promise.reject(new TypeError('Failed to fetch'));
    stub = stubFetch(apiRoutes({ sign: () => json(SMS, 202), resend: () => answer() }));
    const el = await petition();
    fillValid(el);
    submit(el);
    await waitUntil(() => focused(el)?.id === 'code-heading');
    $<HTMLButtonElement>(el, '#resend').click();
    await waitUntil(() => $(el, 'section [role="status"]').textContent!.includes('could not reach the server'));
    answer = () => problem('internal', 500);
    $<HTMLButtonElement>(el, '#resend').click();
    await waitUntil(() => $(el, 'section [role="status"]').textContent!.includes('Something went wrong'));
    expect(el.shadowRoot!.querySelector('#code')).not.to.equal(null);
  });

  it('"Change my details" goes back to the filled form; sending it again is a new submission with a new handle', async () => {
    let handles = 0;
    stub = stubFetch(
      apiRoutes({
        sign: () => json({ ...SMS, confirmation: { channel: 'sms', handle: `v1.handle-${++handles}` } }, 202),
        confirm: () => json({ status: 'counted' }),
      }),
    );
    const el = await petition();
    const signed: string[] = [];
    el.addEventListener('imlu-signed', (event) => signed.push(event.detail.status));
    fillValid(el);
    $<HTMLInputElement>(el, '#email').value = 'wanjiru@example.org';
    const county = $<HTMLSelectElement>(el, '#county');
    county.value = 'KE-30';
    county.dispatchEvent(new Event('change', { bubbles: true }));
    $<HTMLTextAreaElement>(el, '#comment').value = 'Because';
    $<HTMLInputElement>(el, '#publicName').checked = true;
    $<HTMLInputElement>(el, '#updates').checked = true;
    submit(el);
    await waitUntil(() => focused(el)?.id === 'code-heading');
    await expect(el).to.be.accessible();

    const change = $<HTMLButtonElement>(el, '#change-details');
    expect(change.textContent).to.equal('Change my details');
    change.click();
    // The code went to that number: the phone field is where the signer most likely goes.
    await waitUntil(() => focused(el)?.id === 'phone', 'focus did not go to the phone number');
    const value = (id: string) => $<HTMLInputElement>(el, `#${id}`).value;
    const checked = (id: string) => $<HTMLInputElement>(el, `#${id}`).checked;
    expect([value('name'), value('phone'), value('email'), value('county'), value('comment'), value('website')]).to.deep.equal([
      'Wanjirũ Kamau',
      '0712 345 678',
      'wanjiru@example.org',
      'KE-30',
      'Because',
      '',
    ]);
    expect(['terms', 'publicName', 'shareWithTargets', 'updates'].map(checked)).to.deep.equal([true, true, false, true]);
    expect(el.shadowRoot!.querySelector('#code')).to.equal(null);
    await expect(el).to.be.accessible();

    $<HTMLInputElement>(el, '#name').value = 'Wanjirũ W. Kamau';
    $<HTMLInputElement>(el, '#publicName').checked = false;
    submit(el);
    await waitUntil(() => focused(el)?.id === 'code-heading');
    const [first, second] = stub.callsTo('/signatures');
    expect(second!.headers.get('idempotency-key')).to.match(/^[0-9a-f-]{36}$/);
    expect(second!.headers.get('idempotency-key')).not.to.equal(first!.headers.get('idempotency-key'));
    expect(second!.body).to.deep.include({ name: 'Wanjirũ W. Kamau', email: 'wanjiru@example.org', county: 'KE-30', comment: 'Because' });
    expect((second!.body as { consent: unknown }).consent).to.deep.equal({ terms: true, publicName: false, shareWithTargets: false, updates: true });
    expect($(el, 'dd').textContent).to.equal('Wanjirũ W. Kamau');
    // The same signer: the host heard of the signature once.
    expect(signed).to.deep.equal(['pending_verification']);

    $<HTMLButtonElement>(el, '#resend').click();
    await waitUntil(() => stub.callsTo('/confirmations/resend').length === 1);
    expect(stub.callsTo('/confirmations/resend')[0]!.body).to.deep.equal({ handle: 'v1.handle-2' });
    await waitUntil(() => focused(el)?.id === 'code');
    enter(el, '123456');
    await waitUntil(() => focused(el)?.id === 'thanks-heading');
    expect(stub.callsTo('/confirmations')[0]!.body).to.deep.equal({ handle: 'v1.handle-2', code: '123456' });
  });

  it('tells an e-mail signer to check their e-mail', async () => {
    stub = stubFetch(apiRoutes({ sign: () => json({ status: 'pending_verification', confirmation: { channel: 'email' } }, 202) }));
    const el = await petition();
    fillValid(el);
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="thank-you"]'));
    expect($(el, '[part="thank-you"]').textContent).to.contain('Check your e-mail');
  });
});

describe('<imlu-petition> milestones and the hosted page', () => {
  let stub: FetchStub;
  afterEach(() => stub?.restore());

  it('shows the next milestone with a labelled bar, and reached ones with their date in the language', async () => {
    const milestones = [
      { threshold: 1000, label: { en: 'Handed to the assembly', sw: 'Limekabidhiwa bunge' }, reachedAt: '2025-03-03T09:00:00.000Z' },
      { threshold: 10_000, label: { en: 'Delivered to the DPP', sw: 'Litawasilishwa kwa DPP' }, reachedAt: null },
    ];
    stub = stubFetch(apiRoutes({ campaign: campaignFixture({ milestones }) }));
    const el = await petition();
    expect($(el, '#milestone-next').textContent).to.equal('Next milestone: 10,000 signatures: Delivered to the DPP');
    expect($(el, 'progress[aria-labelledby="milestone-next"]').getAttribute('max')).to.equal('10000');
    expect($(el, '[part="milestones"]').textContent!.trim()).to.equal('1,000 signatures: Handed to the assembly (3 March 2025)');
    el.setAttribute('lang', 'sw');
    await waitUntil(() => $(el, '[part="milestones"]').textContent!.includes('Sahihi'));
    expect($(el, '[part="milestones"]').textContent!.trim()).to.equal('Sahihi 1,000: Limekabidhiwa bunge (tarehe 3 Machi 2025)');
  });

  it('says the count once when the label already names it, in both languages', async () => {
    const milestones = [
      {
        threshold: 1000,
        label: { en: '1,000 signatures: presented to IPOA', sw: 'Sahihi 1,000: kuwasilishwa kwa IPOA' },
        reachedAt: '2025-03-03T09:00:00.000Z',
      },
      { threshold: 10_000, label: { en: '10,000 signatures: delivered to Parliament', sw: 'Sahihi 10,000: kukabidhiwa kwa Bunge' }, reachedAt: null },
    ];
    stub = stubFetch(apiRoutes({ campaign: campaignFixture({ milestones }) }));
    const el = await petition();
    expect($(el, '#milestone-next').textContent).to.equal('Next milestone: 10,000 signatures: delivered to Parliament');
    expect($(el, '[part="milestones"]').textContent!.trim()).to.equal('1,000 signatures: presented to IPOA (3 March 2025)');
    el.setAttribute('lang', 'sw');
    await waitUntil(() => $(el, '#milestone-next').textContent!.startsWith('Hatua'));
    expect($(el, '#milestone-next').textContent).to.equal('Hatua inayofuata: Sahihi 10,000: kukabidhiwa kwa Bunge');
    expect($(el, '[part="milestones"]').textContent!.trim()).to.equal('Sahihi 1,000: kuwasilishwa kwa IPOA (tarehe 3 Machi 2025)');
  });

  it('links to the hosted no-JS page when the campaign cannot be loaded', async () => {
    stub = stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const el = await fixture<ImluPetition>(html`<imlu-petition campaign="haki/yetu" api="https://api.example.org/"></imlu-petition>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"] a'));
    // In the element's language, which the hosted page follows.
    expect($<HTMLAnchorElement>(el, '[role="alert"] a').href).to.equal('https://api.example.org/c/haki%2Fyetu?lang=en');
    el.setAttribute('lang', 'sw');
    await waitUntil(() => $<HTMLAnchorElement>(el, '[role="alert"] a').href.endsWith('?lang=sw'), 'the link did not follow the language');
  });
});
