/**
 * The organisation's Ed25519 key that signs every export's `manifest.json` (see pack.ts), so an official
 * can check that a delivery pack came from us unchanged with nothing but our public key.
 *
 * - One current key; `imlu keys signing create` makes a new one and retires the old in the same
 *   transaction. A retired key signs nothing more, but its public key stays in the table and in
 *   `GET /v1/signing-keys`, so every pack it signed still verifies.
 * - The private key (PKCS#8 DER) is stored only as a field-encryption envelope (`signing-key`, its id as the
 *   associated data), like signers' contacts: a copy of the database without `ENCRYPTION_KEY` cannot sign,
 *   and `imlu keys rotate` re-encrypts it with the rest.
 * - The key id is the first 16 hex digits of the SHA-256 of the public key's SubjectPublicKeyInfo (DER), so
 *   anyone can recompute it from the published key (`openssl pkey -pubin -outform DER | sha256sum`). 64
 *   bits: nobody can make another key with the same id, which a shorter id would allow.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { desc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../auth/actor.ts';
import { auditInsert } from '../audit/audit.ts';
import type { Db, Orm } from '../db/client.ts';
import { signingKeys } from '../db/schema.ts';
import type { FieldCrypto } from '../signing/crypto.ts';

export const SIGNATURE_ALGORITHM = 'Ed25519';
const KEY_ID_HEX = 16;

/** A signing key as it is published: never the private half. */
export interface PublicSigningKey {
  keyId: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  /** SubjectPublicKeyInfo, DER, base64. */
  publicKey: string;
  publicKeyPem: string;
  createdAt: number;
  retiredAt: number | null;
}

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
}

/** The key id of a public key: 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo. */
export function signingKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, KEY_ID_HEX);
}

/** How a key is named to people: `ed25519:<id>`. */
export const keyLabel = (keyId: string): string => `ed25519:${keyId}`;

function publicOf(row: typeof signingKeys.$inferSelect): PublicSigningKey {
  const key = createPublicKey({ key: Buffer.from(row.publicKey, 'base64'), format: 'der', type: 'spki' });
  return {
    keyId: row.id,
    algorithm: SIGNATURE_ALGORITHM,
    publicKey: row.publicKey,
    publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
    createdAt: row.createdAt,
    retiredAt: row.retiredAt,
  };
}

/**
 * Makes a new signing key, retires the current one and records `signing-key.created` in the audit log, in
 * one transaction.
 */
export async function createSigningKey(db: Db, crypto: FieldCrypto, options: { actor: Actor; now?: number }): Promise<{ key: PublicSigningKey; retired: string[] }> {
  const now = options.now ?? Date.now();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keyId = signingKeyId(publicKey);
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const retired = (await db.orm.select({ id: signingKeys.id }).from(signingKeys).where(isNull(signingKeys.retiredAt))).map((row) => row.id);
  const row = {
    id: keyId,
    algorithm: SIGNATURE_ALGORITHM,
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKeyEnc: crypto.encrypt(pkcs8, keyId, 'signing-key'),
    createdAt: now,
    createdBy: options.actor.id,
    retiredAt: null,
  };
  await db.orm.batch([
    db.orm.update(signingKeys).set({ retiredAt: now }).where(isNull(signingKeys.retiredAt)),
    db.orm.insert(signingKeys).values(row),
    auditInsert(db.orm, { actor: options.actor, action: 'signing-key.created', subject: keyId, at: now, details: { algorithm: SIGNATURE_ALGORITHM, retired } }),
  ]);
  return { key: publicOf(row), retired };
}

/** Every signing key, newest first (public halves only). */
export async function listSigningKeys(orm: Orm): Promise<PublicSigningKey[]> {
  const rows = await orm.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
  return rows.map(publicOf);
}

/** The id of the key new exports are signed with, or null when none was created. */
export async function currentSigningKeyId(orm: Orm): Promise<string | null> {
  const [row] = await orm.select({ id: signingKeys.id }).from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt)).limit(1);
  return row?.id ?? null;
}

/** The current key with its private half decrypted, or null when none was created. */
export async function currentSigningKey(db: Db, crypto: FieldCrypto): Promise<SigningKey | null> {
  const [row] = await db.orm.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt)).limit(1);
  if (!row) return null;
  const der = Buffer.from(crypto.decrypt(row.privateKeyEnc, row.id, 'signing-key'), 'base64');
  return { keyId: row.id, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
}

/** A published key by id (current or retired). */
export async function findSigningKey(orm: Orm, keyId: string): Promise<PublicSigningKey | null> {
  const [row] = await orm.select().from(signingKeys).where(eq(signingKeys.id, keyId)).limit(1);
  return row ? publicOf(row) : null;
}

export function signBytes(key: SigningKey, bytes: Buffer): Buffer {
  return sign(null, bytes, key.privateKey);
}

export function verifyBytes(publicKey: KeyObject, bytes: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, bytes, publicKey, signature);
  } catch {
    return false;
  }
}

export function publicKeyObject(key: PublicSigningKey): KeyObject {
  return createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
}

/**
 * Reads public keys from what an official may have been given: a PEM file, the base64 of the DER
 * SubjectPublicKeyInfo or of the raw 32-byte key, or the JSON of `GET /v1/signing-keys` (every key in it).
 * Throws with a plain message on anything else.
 */
export function parsePublicKeys(text: string): KeyObject[] {
  const trimmed = text.trim();
  let keys: KeyObject[];
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error('the key file is neither a PEM key, base64, nor valid JSON');
    }
    const list = (parsed as { keys?: unknown }).keys;
    if (!Array.isArray(list) || !list.length) throw new Error('the JSON holds no "keys" (expected the answer of GET /v1/signing-keys)');
    keys = list.map((entry) => parseOne(String((entry as { publicKey?: unknown }).publicKey ?? '')));
  } else {
    keys = [parseOne(trimmed)];
  }
  return keys;
}

function parseOne(text: string): KeyObject {
  let key: KeyObject;
  try {
    if (text.includes('-----BEGIN')) key = createPublicKey(text);
    else {
      if (!/^[A-Za-z0-9+/_-]+=*$/.test(text)) throw new Error('not base64');
      const der = Buffer.from(text, 'base64');
      key =
        der.length === 32
          ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: der.toString('base64url') }, format: 'jwk' })
          : createPublicKey({ key: der, format: 'der', type: 'spki' });
    }
  } catch {
    throw new Error('not a public key (give a PEM file, the base64 public key of GET /v1/signing-keys, or that answer as a JSON file)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType ?? 'unknown'} key, not an Ed25519 one`);
  return key;
}
