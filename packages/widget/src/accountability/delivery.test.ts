/**
 * `<imlu-accountability>` and delivery on the record: a delivered pack as the duty bearer's latest step and
 * in its history (count, date, channel, manifest hash), a duty bearer with no contact, and a milestone's
 * step shown as due — in English and Kiswahili, axe-clean.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Accountability } from '@imlu/contracts';
import '../imlu-accountability.ts';
import { accountabilityFixture } from '../testing/accountability-fixtures.ts';
import { json, settle, stubFetch, uniqueApi, type FetchStub } from '../testing/fixtures.ts';
import type { ImluAccountability } from './accountability.component.ts';

const HASH = 'ab12cd34ef56'.padEnd(64, '7');
const text = (node: Element | null) => node!.textContent!.replace(/\s+/g, ' ').trim();

/** The fixture's record with IPOA asked by delivering a pack, a minister with no contact, and a due step. */
function record(): Accountability {
  const data = accountabilityFixture();
  const [dpp, governor] = data.targets;
  Object.assign(dpp!, {
    name: 'Independent Policing Oversight Authority',
    nameSw: 'Mamlaka Huru ya Kusimamia Polisi',
    contactAvailable: true,
    // Delivered after every recorded position: the latest step.
    deliveries: [
      { deliveredOn: '2025-02-20', channel: 'post', signatures: 1, manifestSha256: '0'.repeat(64), recordedAt: '2025-02-20T09:00:00.000Z' },
      { deliveredOn: '2026-12-06', channel: 'in_person', signatures: 12_345, manifestSha256: HASH, recordedAt: '2026-12-06T10:00:00.000Z' },
    ],
  });
  Object.assign(governor!, { contactAvailable: false, deliveries: [] });
  data.milestones = [
    {
      threshold: 1000,
      label: { en: 'Deliver to IPOA', sw: 'Kuwasilisha kwa IPOA' },
      reachedAt: '2025-03-12T08:00:00.000Z',
      step: { targetId: dpp!.id, targetName: dpp!.name, step: 'deliver', due: true },
    },
    { threshold: 10_000, label: { en: 'Ask the IG', sw: 'Kumwomba IG' }, reachedAt: null, step: { targetId: 't3', targetName: 'Kiprono Chebet', step: 'ask_response', due: false } },
  ];
  return data;
}

let stub: FetchStub | undefined;

async function mount(data: Accountability, lang = 'en') {
  stub = stubFetch(() => json(data));
  const el = await fixture<ImluAccountability>(
    html`<imlu-accountability campaign="justice-for-survivors" api=${uniqueApi()} lang=${lang}></imlu-accountability>`,
  );
  await settle();
  await el.updateComplete;
  return el;
}

const targets = (el: ImluAccountability) => [...el.shadowRoot!.querySelectorAll('[part="target"]')];

async function openHistory(el: ImluAccountability, target: Element): Promise<string[]> {
  const details = target.querySelector('details')!;
  details.open = true;
  await waitUntil(() => details.querySelector('time'), 'the history chunk renders the entries');
  await el.updateComplete;
  return [...details.querySelectorAll('li')].map(text);
}

describe('<imlu-accountability> and delivered packs', () => {
  afterEach(() => stub?.restore());

  it('[axe] shows the latest delivery as the latest step, the history with full hashes, no contact and the due step, in English', async () => {
    const el = await mount(record());
    const [ipoa, governor, ig] = targets(el);
    expect([...ipoa!.querySelectorAll(':scope > p')].map(text)).to.include(
      '12,345 signatures delivered to Independent Policing Oversight Authority on 6 December 2026 (in person) · pack sha256 ab12cd34ef56…',
    );
    expect(text(governor!.querySelector(':scope > p > .badge.not_asked'))).to.equal('Not asked — no contact available');
    // Others neither say "no contact" nor show a delivery.
    expect(ig!.textContent).not.to.contain('no contact');
    expect(ig!.textContent).not.to.contain('delivered to');
    expect(text(el.shadowRoot!.querySelector('[part="milestones"] li .badge'))).to.equal(
      'Due: deliver the pack to Independent Policing Oversight Authority',
    );
    // A step not yet due says nothing.
    expect(el.shadowRoot!.querySelectorAll('[part="milestones"] .badge')).to.have.length(1);

    const history = await openHistory(el, ipoa!);
    expect(history[0]).to.contain('Asked · pack delivered');
    expect(history[0]).to.contain(`12,345 signatures delivered to Independent Policing Oversight Authority on 6 December 2026 (in person) · pack sha256 ${HASH}`);
    expect(history[0]).to.contain('(Recorded by the campaign)');
    // The position entries stay, each delivery among them by date (newest first).
    expect(history).to.have.length(6);
    expect(history[2]).to.contain(`1 signature delivered to Independent Policing Oversight Authority on 20 February 2025 (by post) · pack sha256 ${'0'.repeat(64)}`);
    expect(history[1]).to.contain('Delivered');
    expect(history[3]).to.contain('Committed');
    await expect(el).to.be.accessible();
  });

  it('[axe] says the same in Kiswahili', async () => {
    const el = await mount(record(), 'sw');
    const [ipoa, governor] = targets(el);
    expect([...ipoa!.querySelectorAll(':scope > p')].map(text)).to.include(
      'Sahihi 12,345 ziliwasilishwa kwa Mamlaka Huru ya Kusimamia Polisi tarehe 6 Desemba 2026 (ana kwa ana) · sha256 ya kifurushi ab12cd34ef56…',
    );
    expect(text(governor!.querySelector(':scope > p > .badge.not_asked'))).to.equal('Hajaombwa — hakuna anwani ya kuwasiliana naye');
    expect(text(el.shadowRoot!.querySelector('[part="milestones"] li .badge'))).to.equal(
      'Inasubiriwa: kuwasilisha kifurushi kwa Mamlaka Huru ya Kusimamia Polisi',
    );
    const history = await openHistory(el, ipoa!);
    expect(history[0]).to.contain('Ameombwa · kifurushi kimewasilishwa');
    expect(history[2]).to.contain('Sahihi 1 iliwasilishwa kwa Mamlaka Huru ya Kusimamia Polisi tarehe 20 Februari 2025 (kwa posta)');
    await expect(el).to.be.accessible();
  });

  it('shows a delivery no longer as the latest step once the duty bearer answers after it; a delivery opens a history on its own', async () => {
    const data = record();
    const [ipoa, governor] = data.targets;
    ipoa!.positions[0]!.history.push({
      status: 'acknowledged',
      statement: null,
      statementSw: null,
      evidenceUrl: null,
      recordedAt: '2026-12-07T09:00:00.000Z',
      recordedBy: 'duty_bearer',
    });
    // A duty bearer asked only by a delivery, with no position recorded.
    Object.assign(governor!, {
      contactAvailable: false,
      deliveries: [{ deliveredOn: '2026-12-06', channel: 'courier', signatures: 2, manifestSha256: HASH, recordedAt: '2026-12-06T10:00:00.000Z' }],
      positions: governor!.positions.map((p) => ({ ...p, status: 'asked', history: [] })),
    });
    const el = await mount(data);
    const [first, second] = targets(el);
    expect(first!.textContent).not.to.contain('12,345 signatures delivered');
    expect(text(second!)).to.contain('2 signatures delivered to Amina Otieno on 6 December 2026 (by courier)');
    // Delivered to: not "no contact", whatever the flag says.
    expect(second!.textContent).not.to.contain('no contact');
    expect(await openHistory(el, second!)).to.have.length(1);
  });

  it('shows a record without the new fields (an older server) as before', async () => {
    const el = await mount(accountabilityFixture());
    expect(el.shadowRoot!.textContent).not.to.contain('delivered to');
    expect(el.shadowRoot!.textContent).not.to.contain('no contact');
    expect(el.shadowRoot!.querySelectorAll('[part="milestones"] .badge')).to.have.length(0);
  });
});
