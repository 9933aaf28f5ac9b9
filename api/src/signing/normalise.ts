/**
 * Canonical forms of contacts, used only to compute the dedupe blind index. What the signer typed is what
 * gets stored (encrypted) and contacted; these forms decide whether two signatures are the same person.
 */

/**
 * Mail providers whose addresses accept `+tag` subaddressing: everything from the first `+` in the local
 * part is dropped for them. Deliberately conservative: a provider is listed only where `name+tag@` is
 * documented to reach `name@`. Yahoo is not listed: its subaddresses use a separate `-` keyword scheme
 * only for disposable addresses, and `-` is common in ordinary names.
 */
export const PLUS_ADDRESSING_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', // also ignores dots, below
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'protonmail.ch',
  'pm.me',
  'fastmail.com',
]);

/** Domains that are the same mailbox namespace as another. */
const DOMAIN_ALIASES: Readonly<Record<string, string>> = { 'googlemail.com': 'gmail.com' };

/** Gmail ignores dots in the local part (`jane.doe@` and `janedoe@` are one mailbox). */
const DOT_INSENSITIVE_DOMAINS: ReadonlySet<string> = new Set(['gmail.com']);

/**
 * Canonical e-mail for duplicate detection: trimmed, Unicode NFC, lower case (providers treat local parts
 * case-insensitively in practice); `googlemail.com` → `gmail.com`; Gmail dots removed; `+tag` removed for
 * providers in {@link PLUS_ADDRESSING_DOMAINS}. Expects an address already validated by the schema.
 */
export function canonicalEmail(email: string): string {
  const lowered = email.trim().normalize('NFC').toLowerCase();
  const at = lowered.lastIndexOf('@');
  if (at <= 0) return lowered;
  let local = lowered.slice(0, at);
  let domain = lowered.slice(at + 1).replace(/\.$/, '');
  domain = DOMAIN_ALIASES[domain] ?? domain;
  if (PLUS_ADDRESSING_DOMAINS.has(domain)) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  if (DOT_INSENSITIVE_DOMAINS.has(domain)) local = local.replaceAll('.', '');
  return `${local}@${domain}`;
}

// The phone rule lives in the contracts, where the sign request schema applies it.
export { DEFAULT_PHONE_COUNTRY, normalisePhone } from '@imlu/contracts/phone';

/**
 * The form of a name that decides whether two signatures from one family phone are the same person:
 * compatibility-normalised, accents and other marks removed, lower case, anything but letters and digits
 * reduced to single spaces. "Wanjirũ  Kamau" and "wanjiru kamau" are one name; "Kamau Wanjiru" is another
 * (a family may well hold both), and so is any other spelling — the family-phone limit bounds the rest.
 */
export function householdNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
