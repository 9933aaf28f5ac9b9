/**
 * The demo's pledge campaign (issue 16), seeded by the server with the demo petition (an empty database
 * only): two dated actions in English and Kiswahili — a court mention a few days ago, and the hearing in
 * ten days with a limited public gallery — and a few pledges made through the real signing path, so the
 * counts and the accountability board show pledged, can't-make-it and kept figures from the start.
 */
import { SignRequestSchema, type LocalizedText } from '@imlu/contracts';
import { createCampaign, type NewCampaign } from '../campaigns/create.ts';
import type { Db } from '../db/client.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { prepareSubmission } from '../signing/prepare.ts';
import { SignatureWriter } from '../signing/writer.ts';
import { nairobiDate } from '../accountability/dates.ts';
import { DEMO_DPP } from '../accountability/demo-board.ts';
import { appendEntries, createTarget, putAsk } from '../accountability/operations.ts';
import { CampaignStore } from '../campaigns/store.ts';
import { nairobiDayStart } from '../updates/quiet-hours.ts';
import { sayOfPledge } from './commitments.ts';
import { recordAttendance } from './attendance.ts';

export const DEMO_PLEDGE_SLUG = 'attend-the-hearing';

const DAY = 86_400_000;

/** 09:00 in Nairobi, `days` from the day of `now`. */
function nairobiMorning(now: number, days: number): number {
  return nairobiDayStart(now) + days * DAY + 9 * 3_600_000;
}

export function demoPledgeCampaign(now: number): NewCampaign {
  const place: LocalizedText = { en: 'Milimani Law Courts, Nairobi', sw: 'Mahakama ya Milimani, Nairobi' };
  return {
    slug: DEMO_PLEDGE_SLUG,
    kind: 'pledge',
    status: 'open',
    goal: 500,
    verification: 'none',
    consentVersion: '2026-11-v1',
    senderOrganisation: 'Independent Medico-Legal Unit (IMLU)',
    senderContact: 'campaigns@imlu.example, Nairobi',
    title: { en: 'Be there: the hearing for survivors of police torture', sw: 'Kuwepo: kikao cha kesi ya manusura wa mateso ya polisi' },
    summary: {
      en: 'Pledge to fill the public gallery when the court hears the survivors’ case. A full gallery tells the court the public is watching.',
      sw: 'Ahidi kujaza viti vya umma mahakama itakaposikiliza kesi ya manusura. Viti vilivyojaa vinaiambia mahakama kwamba umma unafuatilia.',
    },
    body: {
      en: 'Survivors of police torture have waited years for their day in court. Come to the court in person, on time, and stay for the whole session. We will remind you the day before and on the morning of each date.',
      sw: 'Manusura wa mateso ya polisi wamesubiri kwa miaka mingi siku yao mahakamani. Fika mahakamani wewe mwenyewe, kwa wakati, na ukae kikao chote. Tutakukumbusha siku moja kabla na asubuhi ya kila tarehe.',
    },
    demands: [{ en: 'A fair and public hearing without further delay.', sw: 'Kusikilizwa kwa haki na hadharani bila kucheleweshwa zaidi.' }],
    actions: [
      {
        title: { en: 'Attend the mention of the case', sw: 'Hudhuria kutajwa kwa kesi' },
        place,
        county: 'KE-47',
        startsAt: nairobiMorning(now, -3),
        capacity: null,
      },
      {
        title: { en: 'Attend the hearing', sw: 'Hudhuria kikao cha kusikiliza kesi' },
        place,
        county: 'KE-47',
        startsAt: nairobiMorning(now, 10),
        capacity: 150,
      },
    ],
  };
}

/** Fictional supporters: which actions they pledged, and what became of the past one. */
const SUPPORTERS: { name: string; email: string; actions: (1 | 2)[]; past?: 'done' | 'there' | 'cant' }[] = [
  { name: 'Achieng Otieno', email: 'achieng@example.org', actions: [1, 2], past: 'done' },
  { name: 'Baraka Mwangi', email: 'baraka@example.org', actions: [1, 2], past: 'there' },
  { name: 'Chebet Kiprono', email: 'chebet@example.org', actions: [1], past: 'there' },
  { name: 'Daudi Hassan', email: 'daudi@example.org', actions: [1, 2] },
  { name: 'Esther Njeri', email: 'esther@example.org', actions: [2] },
  // Faith pledged the mention and was not there: a promise not kept.
  { name: 'Faith Wanjiku', email: 'faith@example.org', actions: [1] },
  { name: 'Gitau Kamau', email: 'gitau@example.org', actions: [2] },
  { name: 'Halima Abdi', email: 'halima@example.org', actions: [1, 2], past: 'there' },
];

/** Creates the pledge campaign and its pledges; the caller has just seeded an empty database. */
export async function seedDemoPledge(db: Db, crypto: FieldCrypto, now: number): Promise<void> {
  const input = demoPledgeCampaign(now);
  // Created after the demo petition (seeded at `now`), so that lists and the console's pickers still open on the petition.
  const campaignId = await createCampaign(db, input, now + 1);
  const rows = await db.client.execute({ sql: 'SELECT id FROM pledge_actions WHERE campaign_id = ? ORDER BY position', args: [campaignId] });
  const actionIds = rows.rows.map((r) => String(r[0]));
  const campaign = { id: campaignId, verification: input.verification ?? 'none', consentVersion: input.consentVersion };
  const writer = new SignatureWriter(db.client, { now: () => now });
  const signed: string[] = [];
  try {
    for (const [i, s] of SUPPORTERS.entries()) {
      const at = now - (10 - i) * DAY;
      const submission = prepareSubmission(
        SignRequestSchema.parse({
          name: s.name,
          email: s.email,
          consent: { terms: true, publicName: false, shareWithTargets: true, updates: false },
          county: 'KE-47',
          locale: i % 2 ? 'sw' : 'en',
          actions: s.actions.map((p) => actionIds[p - 1]!),
          remind: true,
        }),
        { campaign, crypto, now: at, origin: null },
      );
      await writer.submit(submission);
      signed.push(submission.signature.id);
    }
  } finally {
    await writer.close();
  }
  const past = actionIds[0]!;
  for (const [i, s] of SUPPORTERS.entries()) {
    if (s.past === 'done') await sayOfPledge(db.client, signed[i]!, past, 'done', now - 3 * DAY + 4 * 3_600_000);
  }
  // Daudi could not make it to the mention after all (said before it), and is still coming to the hearing.
  await sayOfPledge(db.client, signed[3]!, past, 'cant', now - 4 * DAY);
  const sheet = SUPPORTERS.filter((s) => s.past === 'there' || s.past === 'done').map((s) => ({ kind: 'email' as const, value: s.email }));
  await recordAttendance(db, crypto, campaignId, past, sheet, { id: 'demo-seed', name: 'demo seed' }, now - 3 * DAY + 6 * 3_600_000);
  await seedDutyBearer(db, crypto, now);
}

/**
 * A duty bearer on the pledge's board, so that the supporters' pledges stand beside an official's
 * commitment, as on a real campaign: the prosecution, asked for a hearing without further delay, committed
 * to be ready on the date. Illustrative, and said to be so.
 */
async function seedDutyBearer(db: Db, crypto: FieldCrypto, now: number): Promise<void> {
  const record = await new CampaignStore(db.orm, { now: () => now }).findBySlug(DEMO_PLEDGE_SLUG);
  if (!record) return;
  const demand = record.demands[0]!.id;
  // The same official as on the demo petition's board, when it was seeded first (as the server does).
  const existing = await db.client.execute({ sql: 'SELECT id FROM targets WHERE name = ? ORDER BY created_at LIMIT 1', args: [DEMO_DPP.name] });
  const target = existing.rows[0] ? { id: String(existing.rows[0][0]) } : await createTarget(db, crypto, DEMO_DPP, now - 12 * DAY);
  await putAsk(db, record, target.id, { demandIds: [demand], askedOn: nairobiDate(now - 12 * DAY), dueOn: nairobiDate(now + 5 * DAY) }, now - 12 * DAY);
  await appendEntries(db, {
    campaignId: record.id,
    targetId: target.id,
    entries: [
      {
        demandId: demand,
        status: 'committed',
        statement: 'The prosecution will be ready to proceed on the hearing date. [Illustrative demo data, not a real statement.]',
        statementSw: 'Upande wa mashtaka utakuwa tayari kuendelea siku ya kikao. [Data ya mfano tu, si taarifa halisi.]',
        evidenceUrl: null,
      },
    ],
    recordedBy: 'duty_bearer',
    actor: 'demo-seed',
    now: now - 6 * DAY,
  });
}
