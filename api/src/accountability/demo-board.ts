/**
 * The demo campaign's accountability board: plausible Kenyan duty bearers with a mix of positions, so the
 * board, the widget and the response page have something to show. Every statement is marked as
 * illustrative: none of these institutions said any of this.
 *
 * Seeded together with the demo campaign (an empty database only). Dates are relative to the seeding
 * time: asked six weeks ago, answers due two weeks ago, so the county government (no answer) is overdue.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { CampaignStore } from '../campaigns/store.ts';
import { campaignAsks, campaigns, targets } from '../db/schema.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { nairobiDate } from './dates.ts';
import { issueResponseLink } from './links.ts';
import { addMilestone, appendEntries, createTarget, putAsk, type TargetInput } from './operations.ts';
import type { RecordableStatus } from './schemas.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOTE = { en: '[Illustrative demo data, not a real statement.]', sw: '[Data ya mfano tu, si taarifa halisi.]' };
const DEMO_ACTOR = 'demo-seed';
/** The target the start-up prints a response link for (no answer yet: overdue). */
export const DEMO_RESPONSE_TARGET = 'Nairobi City County Government';

/** The prosecutor, on the demo petition's board and beside the demo pledge's supporters (pledges/demo-pledge.ts). */
export const DEMO_DPP: TargetInput = {
  name: 'Director of Public Prosecutions',
  office: 'Director of Public Prosecutions',
  institution: 'Office of the Director of Public Prosecutions (ODPP)',
  nameSw: 'Mkurugenzi wa Mashtaka ya Umma',
  officeSw: 'Mkurugenzi wa Mashtaka ya Umma',
  institutionSw: 'Ofisi ya Mkurugenzi wa Mashtaka ya Umma (ODPP)',
  jurisdiction: { level: 'national' },
  publicContact: 'https://www.odpp.go.ke',
};

interface DemoTarget {
  target: TargetInput;
  /** 1-based demand positions asked for. */
  asked: number[];
  /** Days before seeding the answer was due; negative: still to come. */
  dueDaysAgo: number;
  /** Entries, oldest first: [days ago, demand position, status, [statement, in Kiswahili], recorded by, evidence]. */
  entries: [number, number, RecordableStatus, [string, string], 'duty_bearer' | 'campaign', string?][];
}

const BOARD: DemoTarget[] = [
  {
    target: {
      name: 'Inspector-General of the National Police Service',
      office: 'Inspector-General of Police',
      institution: 'National Police Service',
      nameSw: 'Inspekta Jenerali wa Huduma ya Taifa ya Polisi',
      officeSw: 'Inspekta Jenerali wa Polisi',
      institutionSw: 'Huduma ya Taifa ya Polisi',
      jurisdiction: { level: 'national' },
      publicContact: 'https://www.nationalpolice.go.ke',
    },
    asked: [1, 2],
    dueDaysAgo: 14,
    entries: [
      [
        30,
        1,
        'acknowledged',
        [
          'The Service has received the petition and referred it to the Internal Affairs Unit.',
          'Huduma imepokea ombi hili na kulipeleka kwa Kitengo cha Masuala ya Ndani.',
        ],
        'campaign',
      ],
      [
        20,
        1,
        'committed',
        [
          'We will publish quarterly figures on complaints of police torture and their outcomes.',
          'Tutachapisha kila robo mwaka takwimu za malalamiko ya mateso yanayofanywa na polisi na jinsi yalivyoshughulikiwa.',
        ],
        'duty_bearer',
      ],
      [
        20,
        2,
        'acknowledged',
        [
          'Protection of human rights defenders is under review with the Witness Protection Agency.',
          'Ulinzi wa watetezi wa haki za binadamu unaangaliwa upya pamoja na Mamlaka ya Kulinda Mashahidi.',
        ],
        'duty_bearer',
      ],
    ],
  },
  {
    target: DEMO_DPP,
    asked: [1, 3],
    dueDaysAgo: 14,
    entries: [
      [
        35,
        1,
        'committed',
        [
          'The ODPP commits to issue guidelines on the prosecution of sexual and gender-based violence.',
          'ODPP inaahidi kutoa miongozo kuhusu kushtaki kesi za ukatili wa kingono na wa kijinsia.',
        ],
        'duty_bearer',
      ],
      [28, 3, 'acknowledged', ['Referred to the victim support desk.', 'Limepelekwa kwenye dawati la kusaidia waathiriwa.'], 'duty_bearer'],
      [
        5,
        1,
        'delivered',
        [
          'Guidelines published and circulated to all county prosecution offices.',
          'Miongozo imechapishwa na kusambazwa kwa ofisi zote za mashtaka katika kaunti.',
        ],
        'campaign',
        'https://example.org/demo/odpp-guidelines',
      ],
    ],
  },
  {
    target: {
      name: 'Independent Policing Oversight Authority (IPOA)',
      office: 'Chairperson',
      institution: 'Independent Policing Oversight Authority',
      nameSw: 'Mamlaka Huru ya Kusimamia Utendakazi wa Polisi (IPOA)',
      officeSw: 'Mwenyekiti',
      institutionSw: 'Mamlaka Huru ya Kusimamia Utendakazi wa Polisi',
      jurisdiction: { level: 'national' },
      publicContact: 'https://www.ipoa.go.ke',
    },
    asked: [1],
    dueDaysAgo: 14,
    entries: [
      [
        25,
        1,
        'acknowledged',
        ['IPOA has opened inquiries into the cases listed in the petition.', 'IPOA imeanzisha uchunguzi wa kesi zilizoorodheshwa kwenye ombi.'],
        'duty_bearer',
      ],
    ],
  },
  {
    target: {
      name: 'Cabinet Secretary for Interior and National Administration',
      office: 'Cabinet Secretary',
      institution: 'Ministry of Interior and National Administration',
      nameSw: 'Waziri wa Usalama wa Ndani na Utawala wa Kitaifa',
      officeSw: 'Waziri',
      institutionSw: 'Wizara ya Usalama wa Ndani na Utawala wa Kitaifa',
      jurisdiction: { level: 'national' },
      publicContact: 'https://www.interior.go.ke',
    },
    asked: [2, 4],
    dueDaysAgo: 14,
    entries: [
      [
        18,
        4,
        'declined',
        ['The Ministry considers the existing legal framework sufficient.', 'Wizara inaona kwamba mfumo wa sheria uliopo unatosha.'],
        'campaign',
        'https://example.org/demo/ministry-letter',
      ],
    ],
  },
  {
    target: {
      name: DEMO_RESPONSE_TARGET,
      office: 'Governor',
      institution: 'Nairobi City County',
      nameSw: 'Serikali ya Kaunti ya Jiji la Nairobi',
      officeSw: 'Gavana',
      institutionSw: 'Kaunti ya Jiji la Nairobi',
      jurisdiction: { level: 'county', county: 'KE-30' },
      publicContact: 'https://nairobi.go.ke',
    },
    asked: [3],
    dueDaysAgo: 14,
    entries: [],
  },
  {
    target: {
      name: 'National Gender and Equality Commission',
      office: 'Chairperson',
      institution: 'National Gender and Equality Commission (NGEC)',
      nameSw: 'Tume ya Kitaifa ya Jinsia na Usawa',
      officeSw: 'Mwenyekiti',
      institutionSw: 'Tume ya Kitaifa ya Jinsia na Usawa (NGEC)',
      jurisdiction: { level: 'national' },
      publicContact: 'https://www.ngeckenya.org',
    },
    asked: [2, 4],
    dueDaysAgo: -14,
    entries: [
      [
        10,
        4,
        'committed',
        [
          'NGEC will present a memorandum on the protection of women human rights defenders to Parliament.',
          'NGEC itawasilisha Bungeni hati ya mapendekezo kuhusu ulinzi wa wanawake watetezi wa haki za binadamu.',
        ],
        'duty_bearer',
      ],
    ],
  },
  {
    // Stays overdue when someone tries the printed response link as Nairobi City County.
    target: {
      name: 'Attorney-General',
      office: 'Attorney-General',
      institution: 'Office of the Attorney-General and Department of Justice',
      nameSw: 'Mwanasheria Mkuu',
      officeSw: 'Mwanasheria Mkuu',
      institutionSw: 'Ofisi ya Mwanasheria Mkuu na Idara ya Haki',
      jurisdiction: { level: 'national' },
      publicContact: 'https://www.statelaw.go.ke',
    },
    asked: [3, 4],
    dueDaysAgo: 30,
    entries: [],
  },
];

export const DEMO_MILESTONES = [
  {
    threshold: 1_000,
    label: { en: '1,000 signatures: presented to IPOA at a public forum', sw: 'Sahihi 1,000: kuwasilishwa kwa IPOA kwenye mkutano wa hadhara' },
  },
  {
    threshold: 10_000,
    label: {
      en: "10,000 signatures: delivered to Parliament's Justice and Legal Affairs Committee",
      sw: 'Sahihi 10,000: kukabidhiwa kwa Kamati ya Bunge ya Haki na Masuala ya Sheria',
    },
  },
];

/** Seeds targets, asks, positions and milestones for the demo campaign. */
export async function seedDemoBoard(db: Db, crypto: FieldCrypto, slug: string, now: number): Promise<void> {
  // Read through the store, so the record has exactly the shape the request path sees.
  const record = await new CampaignStore(db.orm, { now: () => now }).findBySlug(slug);
  if (!record) return;
  const campaign = record;
  const demandAt = (position: number) => record.demands.find((d) => d.position === position)!.id;
  for (const [index, item] of BOARD.entries()) {
    const target = await createTarget(db, crypto, item.target, now - 50 * DAY + index);
    await putAsk(
      db,
      record,
      target.id,
      { demandIds: item.asked.map(demandAt), askedOn: nairobiDate(now - 42 * DAY), dueOn: nairobiDate(now - item.dueDaysAgo * DAY) },
      now - 42 * DAY + index,
    );
    for (const [daysAgo, demand, status, statement, recordedBy, evidenceUrl] of item.entries) {
      await appendEntries(db, {
        campaignId: campaign.id,
        targetId: target.id,
        entries: [
          {
            demandId: demandAt(demand),
            status,
            statement: `${statement[0]} ${NOTE.en}`,
            statementSw: `${statement[1]} ${NOTE.sw}`,
            evidenceUrl: evidenceUrl ?? null,
          },
        ],
        recordedBy,
        actor: DEMO_ACTOR,
        now: now - daysAgo * DAY,
      });
    }
  }
  for (const milestone of DEMO_MILESTONES) await addMilestone(db, campaign.id, milestone, 0, now);
}

/**
 * A fresh response link for the demo's county government, for a human to try at start-up (development
 * only: `main.ts` prints it, never in production). A new one each start, since only hashes are stored.
 */
export async function demoResponseLink(db: Db, slug: string, now: number): Promise<string | undefined> {
  const [row] = await db.orm
    .select({ campaignId: campaigns.id, targetId: targets.id })
    .from(campaigns)
    .innerJoin(campaignAsks, eq(campaignAsks.campaignId, campaigns.id))
    .innerJoin(targets, eq(targets.id, campaignAsks.targetId))
    .where(and(eq(campaigns.slug, slug), eq(targets.name, DEMO_RESPONSE_TARGET)))
    .limit(1);
  if (!row) return undefined;
  const link = await issueResponseLink(db, { ...row, createdBy: DEMO_ACTOR, now, ttlDays: 7 });
  return link.token;
}
