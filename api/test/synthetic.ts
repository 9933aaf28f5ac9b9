/**
 * Synthetic signatures written straight into `signatures` in batched multi-row INSERTs, with real
 * AES-GCM encryption of every name and contact: for export tests and the export benchmark. It bypasses
 * the signing path (dedupe, counts, outbox) on purpose — exports read only `signatures`.
 */
import type { Client } from '@libsql/client';
import { COUNTY_CODES, type CountyCode } from '@imlu/contracts';
import type { FieldCrypto } from '../src/signing/crypto.ts';
import { uuidv7 } from '../src/signing/ids.ts';

const GIVEN = ['Wanjirũ', 'Njeri', 'Achieng’', 'Kipchoge', 'Mũthoni', 'Otieno', 'Fatuma', 'Kĩmani', 'Chebet', 'Amina', 'Wafula', 'Nyokabi'];
const FAMILY = ['Kamau', 'Odhiambo', 'Mwangi', 'Wambũi', 'Hassan', 'Kiprotich', 'Ng’ang’a', 'Auma', 'Mutua', 'Githĩnji'];

export interface SyntheticRow {
  name: string;
  county: CountyCode | null;
  status: 'counted' | 'pending';
  shareWithTargets: boolean;
  flag: 'suspect' | 'invalid' | null;
  createdAt: number;
  email?: string | null;
  phone?: string | null;
}

/** A deterministic pseudo-random row for index `i`. */
export function syntheticRow(i: number, start: number): SyntheticRow {
  const h = (i * 2654435761) >>> 0;
  return {
    name: `${GIVEN[h % GIVEN.length]} ${FAMILY[(h >>> 8) % FAMILY.length]}`,
    county: h % 50 === 0 ? null : COUNTY_CODES[(h >>> 4) % COUNTY_CODES.length]!,
    status: h % 10 === 0 ? 'pending' : 'counted',
    shareWithTargets: h % 3 !== 0,
    flag: null,
    createdAt: start + i * 37,
    phone: `+2547${String(10_000_000 + (i % 89_999_999)).padStart(8, '0')}`,
    email: h % 2 ? `signer${i}@example.org` : null,
  };
}

const COLUMNS =
  '(id, campaign_id, status, name_enc, email_enc, phone_enc, county, locale, consent_terms, consent_public_name, consent_share_with_targets, consent_updates, consent_version, consent_at, created_at, flag)';

/** Inserts rows in transactions of `batchSize` rows (multi-row INSERTs of 100). Returns the ids. */
export async function insertSignatures(
  client: Client,
  crypto: FieldCrypto,
  campaignId: string,
  rows: Iterable<SyntheticRow>,
  options: { batchSize?: number } = {},
): Promise<string[]> {
  const batchSize = options.batchSize ?? 5000;
  const ids: string[] = [];
  let statements: { sql: string; args: (string | number | null)[] }[] = [];
  let values: string[] = [];
  let args: (string | number | null)[] = [];
  let inBatch = 0;
  const flushStatement = () => {
    if (!values.length) return;
    statements.push({ sql: `INSERT INTO signatures ${COLUMNS} VALUES ${values.join(',')}`, args });
    values = [];
    args = [];
  };
  const flushBatch = async () => {
    flushStatement();
    if (statements.length) await client.batch(statements, 'write');
    statements = [];
    inBatch = 0;
  };
  for (const row of rows) {
    const id = uuidv7(row.createdAt);
    ids.push(id);
    const phone = row.phone ?? null;
    const email = row.email ?? null;
    values.push('(?,?,?,?,?,?,?,?,1,0,?,0,?,?,?,?)');
    args.push(
      id,
      campaignId,
      row.status,
      crypto.encrypt(row.name, campaignId, 'name'),
      email ? crypto.encrypt(email, campaignId, 'email') : null,
      phone || !email ? crypto.encrypt(phone ?? '+254700000000', campaignId, 'phone') : null,
      row.county,
      'sw',
      row.shareWithTargets ? 1 : 0,
      'test-v1',
      row.createdAt,
      row.createdAt,
      row.flag,
    );
    inBatch += 1;
    if (values.length === 100) flushStatement();
    if (inBatch >= batchSize) await flushBatch();
  }
  await flushBatch();
  return ids;
}
