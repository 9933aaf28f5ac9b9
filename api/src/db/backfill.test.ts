import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignRequestSchema } from '@imlu/contracts';
import { createCampaign } from '../campaigns/create.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { prepareSubmission } from '../signing/prepare.ts';
import { SignatureWriter } from '../signing/writer.ts';
import { OPEN_CAMPAIGN, TEST_KEYS, createTestDb, type TestDb } from '../../test/helpers.ts';
import { backfillPhoneNameKeys } from './backfill.ts';

const crypto = new FieldCrypto(TEST_KEYS);
let testDb: TestDb;
let writer: SignatureWriter;

beforeEach(async () => {
  testDb = await createTestDb();
  writer = new SignatureWriter(testDb.db.client);
});
afterEach(async () => {
  await writer.close();
  testDb.cleanup();
});

describe('backfillPhoneNameKeys', () => {
  it('re-keys phones signed before migration 0012, so their signers are still recognised when they sign again', async () => {
    const id = await createCampaign(testDb.db, OPEN_CAMPAIGN);
    const campaign = { id, verification: 'none' as const, consentVersion: 'v1' };
    const sign = (name: string, phone: string) =>
      writer.submit(prepareSubmission(SignRequestSchema.parse({ name, phone, consent: { terms: true } }), { campaign, crypto, now: Date.now(), origin: null }));
    await sign('Achieng Odhiambo', '0712345678');
    await sign('Otieno Odhiambo', '0712345678');
    await sign('Baraka Mwangi', '0799000111');
    // As a pre-0012 database holds them: one key per phone number (which is what `phone_hash` is).
    for (const order of ['ASC', 'DESC']) {
      await testDb.db.client.execute(
        "UPDATE signature_dedupe SET key_hmac = (SELECT phone_hash FROM signatures s WHERE s.id = signature_id) " +
          `WHERE kind = 'phone' AND signature_id = (SELECT id FROM signatures ORDER BY created_at ${order}, id ${order} LIMIT 1)`,
      );
    }
    const legacy = await testDb.db.client.execute("SELECT COUNT(*) FROM signature_dedupe d JOIN signatures s ON s.id = d.signature_id WHERE d.key_hmac = s.phone_hash");
    expect(Number(legacy.rows[0]![0])).toBe(2);

    expect(await backfillPhoneNameKeys(testDb.db, crypto)).toBe(2);
    expect(await backfillPhoneNameKeys(testDb.db, crypto)).toBe(0);
    // Each signer is recognised again: nothing new is stored.
    expect((await sign('ACHIENG odhiambo', '+254712345678')).outcome).toBe('duplicate');
    expect((await sign('Baraka Mwangi', '+254799000111')).outcome).toBe('duplicate');
    expect(Number((await testDb.db.client.execute('SELECT COUNT(*) FROM signatures')).rows[0]![0])).toBe(3);
  });
});
