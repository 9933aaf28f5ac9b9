import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCrypto } from './crypto.ts';

const crypto = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
const CAMPAIGN = '0b5c3a9e-5f3c-4f6e-9a57-3f1c2b7d8e90';

describe('FieldCrypto', () => {
  it('round-trips through a v1 envelope and never repeats an IV', () => {
    const a = crypto.encrypt('Wanjirũ Kamau', CAMPAIGN, 'name');
    const b = crypto.encrypt('Wanjirũ Kamau', CAMPAIGN, 'name');
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(crypto.decrypt(a, CAMPAIGN, 'name')).toBe('Wanjirũ Kamau');
    expect(a).not.toContain('Wanjir');
  });

  it('binds a ciphertext to its campaign and column', () => {
    const envelope = crypto.encrypt('+254712345678', CAMPAIGN, 'phone');
    expect(() => crypto.decrypt(envelope, CAMPAIGN, 'name')).toThrow();
    expect(() => crypto.decrypt(envelope, 'another-campaign', 'phone')).toThrow();
  });

  it('detects tampering and the wrong key', () => {
    const envelope = crypto.encrypt('secret', CAMPAIGN, 'comment');
    const [v, iv, tag, ct] = envelope.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0]! ^= 1;
    expect(() => crypto.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'), CAMPAIGN, 'comment')).toThrow();
    const other = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
    expect(() => other.decrypt(envelope, CAMPAIGN, 'comment')).toThrow();
    expect(() => crypto.decrypt('v2.x.y.z', CAMPAIGN, 'comment')).toThrow(/envelope/);
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
