/**
 * A contact as a signer types it on `/me` or a campaigner gives it to `imlu signer`: a phone number (any
 * common way of writing it, read by the contracts' one phone rule) or an e-mail address. Returned in the
 * form that finds signatures: E.164, or the canonical address the e-mail blind index is computed from.
 */
import { z } from 'zod';
import { normalisePhone } from '@imlu/contracts';
import { canonicalEmail } from '../signing/normalise.ts';
import type { Contact } from './access.ts';

const EmailSchema = z.string().trim().max(254).pipe(z.email());

export function parseEmail(input: string): Contact | undefined {
  const parsed = EmailSchema.safeParse(input);
  return parsed.success ? { kind: 'email', value: canonicalEmail(parsed.data) } : undefined;
}

export function parsePhone(input: string): Contact | undefined {
  const trimmed = input.trim();
  if (trimmed.length < 4 || trimmed.length > 32) return undefined;
  const e164 = normalisePhone(trimmed);
  return e164 ? { kind: 'phone', value: e164 } : undefined;
}

/** One field for either: an `@` makes it an e-mail address. */
export function parseContact(input: unknown): Contact | 'empty' | 'invalid' {
  if (typeof input !== 'string' || input.trim() === '') return 'empty';
  return (input.includes('@') ? parseEmail(input) : parsePhone(input)) ?? 'invalid';
}
