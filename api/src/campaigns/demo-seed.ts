/**
 * The demo campaign, in English and Kiswahili, seeded by `main.ts` into an empty database only.
 */
import { randomUUID } from 'node:crypto';
import type { InStatement } from '@libsql/client';
import { getTableColumns } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaigns } from '../db/schema.ts';
import { campaignValues, type NewCampaign } from './create.ts';

export const DEMO_CAMPAIGN: NewCampaign = {
  slug: 'justice-for-survivors',
  kind: 'petition',
  status: 'open',
  goal: 10_000,
  // The demo counts signatures at once so the counter moves; a real campaign verifies by e-mail or SMS.
  verification: 'none',
  consentVersion: '2026-11-v1',
  // Named on the cover of every delivery pack (the contact is the demo's, not IMLU's).
  senderOrganisation: 'Independent Medico-Legal Unit (IMLU)',
  senderContact: 'campaigns@imlu.example, Nairobi',
  title: {
    en: 'Justice for survivors of torture and sexual violence',
    sw: 'Haki kwa manusura wa mateso na ukatili wa kingono',
  },
  summary: {
    en:
      'Stand with survivors of torture and of sexual and gender-based violence, and with the women human rights ' +
      "defenders who support them. Add your name to IMLU's call for justice, protection and care.",
    sw:
      'Simama pamoja na manusura wa mateso na wa ukatili wa kingono na wa kijinsia, na pamoja na watetezi wanawake ' +
      'wa haki za binadamu wanaowaunga mkono. Ongeza jina lako kwenye wito wa IMLU wa haki, ulinzi na huduma.',
  },
  body: {
    en:
      'Every day in Kenya, survivors of torture and of sexual and gender-based violence are denied justice. Many are ' +
      'not believed, are never examined by a doctor, and never see their case reach a court. Women human rights ' +
      'defenders who document these abuses and stand by survivors face threats, harassment and attacks because of ' +
      'their work. The Independent Medico-Legal Unit (IMLU) calls on the national and county governments, the ' +
      'National Police Service, the Office of the Director of Public Prosecutions and Parliament to act now.',
    sw:
      'Kila siku nchini Kenya, manusura wa mateso na wa ukatili wa kingono na wa kijinsia hunyimwa haki. Wengi wao ' +
      'hawaaminiwi, hawachunguzwi na daktari, na kesi zao hazifikishwi mahakamani kamwe. Watetezi wanawake wa haki ' +
      'za binadamu wanaoweka kumbukumbu za dhuluma hizi na kusimama pamoja na manusura hukabiliwa na vitisho, ' +
      'unyanyasaji na mashambulizi kwa sababu ya kazi yao. Independent Medico-Legal Unit (IMLU) inatoa wito kwa ' +
      'serikali ya kitaifa na serikali za kaunti, Huduma ya Taifa ya Polisi, Ofisi ya Mkurugenzi wa Mashtaka ya ' +
      'Umma na Bunge kuchukua hatua sasa.',
  },
  demands: [
    {
      en: 'Transparent and thorough investigations that hold perpetrators accountable.',
      sw: 'Uchunguzi wa wazi na wa kina utakaohakikisha wahusika wanawajibishwa.',
    },
    {
      en: 'Protection for women human rights defenders and survivors.',
      sw: 'Ulinzi kwa watetezi wanawake wa haki za binadamu na kwa manusura.',
    },
    {
      en: 'Access to justice, medical care and psychosocial support.',
      sw: 'Upatikanaji wa haki, huduma za matibabu na msaada wa kisaikolojia na kijamii.',
    },
    {
      en: 'Legislative and policy reforms that safeguard the rights and dignity of women and girls.',
      sw: 'Mageuzi ya sheria na sera yatakayolinda haki na utu wa wanawake na wasichana.',
    },
  ],
};

/**
 * Seeds the demo campaign if, and only if, the database has no campaign at all. The check and the insert
 * are one statement, so two servers starting together cannot both seed. Returns whether it seeded.
 */
export async function seedDemoIfEmpty(db: Db, now: number = Date.now()): Promise<boolean> {
  const id = randomUUID();
  const values = campaignValues(id, DEMO_CAMPAIGN, now);
  const columns = getTableColumns(campaigns);
  const keys = Object.keys(values) as (keyof typeof values)[];
  const args = keys.map((key) => {
    const value = values[key];
    if (typeof value === 'boolean') return Number(value);
    // JSON columns (per-campaign rate limits) are text in the database.
    if (value !== null && typeof value === 'object') return JSON.stringify(value);
    return value ?? null;
  });
  const statements: InStatement[] = [
    {
      sql:
        `INSERT INTO campaigns (${keys.map((key) => columns[key].name).join(', ')}) ` +
        `SELECT ${keys.map(() => '?').join(', ')} WHERE NOT EXISTS (SELECT 1 FROM campaigns)`,
      args,
    },
    ...(DEMO_CAMPAIGN.demands ?? []).map((text, index) => ({
      sql:
        'INSERT INTO demands (id, campaign_id, position, text_en, text_sw) ' +
        'SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM campaigns WHERE id = ?)',
      args: [randomUUID(), id, index + 1, text.en, text.sw, id],
    })),
  ];
  const [campaignInsert] = await db.client.batch(statements, 'write');
  return campaignInsert?.rowsAffected === 1;
}
