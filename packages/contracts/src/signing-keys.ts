/**
 * `GET /v1/signing-keys`: the organisation's public keys that sign export packs (the manifest of every
 * delivery pack), so an official can verify a pack with nothing else of ours (docs/exports.md).
 */
import { z } from 'zod';

export const SigningKeySchema = z
  .object({
    keyId: z
      .string()
      .regex(/^[0-9a-f]{16}$/)
      .meta({ description: 'First 16 hex digits of the SHA-256 of the DER public key (SubjectPublicKeyInfo); a pack names it in signature.json', example: '3f9a0c1b2d4e5f60' }),
    algorithm: z.literal('Ed25519'),
    publicKey: z.string().meta({ description: 'The public key: DER SubjectPublicKeyInfo, base64 (what `imlu export verify --public-key` takes)' }),
    publicKeyPem: z.string().meta({ description: 'The same key as PEM (for `openssl pkeyutl -verify`)' }),
    createdAt: z.iso.datetime(),
    retiredAt: z.iso.datetime().nullable().meta({ description: 'When a newer key replaced it; packs it signed before then still verify' }),
  })
  .meta({ id: 'SigningKey' });
export type SigningKey = z.infer<typeof SigningKeySchema>;

export const SigningKeysSchema = z
  .object({
    current: z.string().nullable().meta({ description: 'Key id that signs new packs; null while no key exists (packs are then unsigned)' }),
    keys: z.array(SigningKeySchema).meta({ description: 'Every key, newest first, retired ones included' }),
  })
  .meta({ id: 'SigningKeys' });
export type SigningKeys = z.infer<typeof SigningKeysSchema>;
