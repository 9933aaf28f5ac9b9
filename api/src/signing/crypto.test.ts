import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { legacyV1Envelope } from '../../test/legacy-envelope.ts';
import { envelopeKeyId, FieldCrypto, UnknownKeyError } from './crypto.ts';

const crypto = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
const CAMPAIGN = '0b5c3a9e-5f3c-4f6e-9a57-3f1c2b7d8e90';

describe('FieldCrypto', () => {
  it('round-trips through a v2 envelope that names its key, and never repeats an IV', () => {
    const a = crypto.encrypt('Wanjirũ Kamau', CAMPAIGN, 'name');
    const b = crypto.encrypt('Wanjirũ Kamau', CAMPAIGN, 'name');
    expect(a).toMatch(/^v2\.[\w-]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a.startsWith(`v2.${crypto.keyId}.`)).toBe(true);
    expect(envelopeKeyId(a)).toBe(crypto.keyId);
    expect(crypto.isCurrent(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(crypto.decrypt(a, CAMPAIGN, 'name')).toBe('Wanjirũ Kamau');
    expect(a).not.toContain('Wanjir');
  });

  it('derives the key id from the fingerprint that databases already record', () => {
    const key = randomBytes(32);
    const index = randomBytes(32);
    const fingerprintBeforeKeyIds = (k: Buffer) => createHmac('sha256', k).update('imlu:key-fingerprint').digest('base64url').slice(0, 16);
    const c = new FieldCrypto({ encryptionKey: key, blindIndexKey: index });
    expect(c.fingerprint()).toBe(`${fingerprintBeforeKeyIds(key)}.${fingerprintBeforeKeyIds(index)}`);
    expect(c.keyId).toBe(fingerprintBeforeKeyIds(key).slice(0, 8));
  });

  it('binds a ciphertext to its campaign and column', () => {
    const envelope = crypto.encrypt('+254712345678', CAMPAIGN, 'phone');
    expect(() => crypto.decrypt(envelope, CAMPAIGN, 'name')).toThrow();
    expect(() => crypto.decrypt(envelope, 'another-campaign', 'phone')).toThrow();
  });

  it('detects tampering and the wrong key', () => {
    const envelope = crypto.encrypt('secret', CAMPAIGN, 'comment');
    const [v, id, iv, tag, ct] = envelope.split('.') as [string, string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0]! ^= 1;
    expect(() => crypto.decrypt([v, id, iv, tag, flipped.toString('base64url')].join('.'), CAMPAIGN, 'comment')).toThrow();
    const other = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
    expect(() => other.decrypt(envelope, CAMPAIGN, 'comment')).toThrow(UnknownKeyError);
    // A key id edited to the other key's id does not make the other key accept it.
    expect(() => other.decrypt([v, other.keyId, iv, tag, ct].join('.'), CAMPAIGN, 'comment')).toThrow(/authenticate/);
    expect(() => crypto.decrypt('v2.x.y.z', CAMPAIGN, 'comment')).toThrow(/envelope/);
    expect(() => crypto.decrypt('v3.a.b.c.d', CAMPAIGN, 'comment')).toThrow(/envelope/);
  });

  it('reads values under the previous key by the key id they name, and writes only under the current one', () => {
    const oldKey = randomBytes(32);
    const blindIndexKey = randomBytes(32);
    const before = new FieldCrypto({ encryptionKey: oldKey, blindIndexKey });
    const old = before.encrypt('+254712345678', CAMPAIGN, 'phone');
    const after = new FieldCrypto({ encryptionKey: randomBytes(32), previousEncryptionKey: oldKey, blindIndexKey });
    expect(after.previousKeyId).toBe(before.keyId);
    expect(after.decrypt(old, CAMPAIGN, 'phone')).toBe('+254712345678');
    expect(after.isCurrent(old)).toBe(false);
    const fresh = after.encrypt('+254712345678', CAMPAIGN, 'phone');
    expect(envelopeKeyId(fresh)).toBe(after.keyId);
    expect(() => before.decrypt(fresh, CAMPAIGN, 'phone')).toThrow(UnknownKeyError);
    expect(() => new FieldCrypto({ encryptionKey: oldKey, previousEncryptionKey: oldKey, blindIndexKey })).toThrow(/previous encryption key is the current one/);
  });

  it('reads v1 envelopes (written before key ids) under the current key or the previous one', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const blindIndexKey = randomBytes(32);
    const legacy = legacyV1Envelope(oldKey, 'Achieng’ Auma', CAMPAIGN, 'name');
    expect(envelopeKeyId(legacy)).toBeNull();
    expect(new FieldCrypto({ encryptionKey: oldKey, blindIndexKey }).decrypt(legacy, CAMPAIGN, 'name')).toBe('Achieng’ Auma');
    const rotating = new FieldCrypto({ encryptionKey: newKey, previousEncryptionKey: oldKey, blindIndexKey });
    expect(rotating.decrypt(legacy, CAMPAIGN, 'name')).toBe('Achieng’ Auma');
    expect(rotating.isCurrent(legacy)).toBe(false);
    expect(() => rotating.decrypt(legacy, CAMPAIGN, 'comment')).toThrow();
    expect(() => new FieldCrypto({ encryptionKey: newKey, blindIndexKey }).decrypt(legacy, CAMPAIGN, 'name')).toThrow();
  });

  it('gives blind indexes that are stable, keyed, and separated by purpose and campaign', () => {
    const phone = crypto.blindIndex('phone', CAMPAIGN, '+254712345678');
    expect(crypto.blindIndex('phone', CAMPAIGN, '+254712345678').equals(phone)).toBe(true);
    expect(phone).toHaveLength(32);
    expect(crypto.blindIndex('email', CAMPAIGN, '+254712345678').equals(phone)).toBe(false);
    expect(crypto.blindIndex('phone', 'another-campaign', '+254712345678').equals(phone)).toBe(false);
    const other = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
    expect(other.blindIndex('phone', CAMPAIGN, '+254712345678').equals(phone)).toBe(false);
  });
});
