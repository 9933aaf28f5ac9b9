/**
 * Staff accounts of the console: created and removed at the command line (`imlu staff …`), each with its
 * audit entry in the same batch. The e-mail is stored only as an envelope, found by its blind index; the
 * TOTP secret is stored only as an envelope and shown once, when the account is created.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { auditInsert } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/client.ts';
import { staff } from '../db/schema.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { canonicalEmail } from '../signing/normalise.ts';
import type { Role } from './roles.ts';

/** The issuer an authenticator app shows beside the code. */
export const TOTP_ISSUER = 'IMLU console';
/** RFC 6238 defaults, which every authenticator app reads from the otpauth:// URI. */
export const TOTP_PERIOD_SECONDS = 30;

/** What the CLI and the console show of a staff member: never the full e-mail. */
export interface StaffInfo {
  id: string;
  name: string;
  role: Role;
  /** The e-mail with most of its local part hidden (`w•••@imlu.org`). */
  emailHint: string;
  createdAt: number;
  createdBy: string;
}

/** The lookup key of an address: the same blind index whatever its case or surrounding spaces. */
export function staffEmailIndex(crypto: FieldCrypto, email: string): Buffer {
  return crypto.blindIndex('staff-email', 'staff', canonicalEmail(email));
}

export function emailHint(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** The TOTP generator of a staff member's secret (base32). */
export function staffTotp(secret: string, label = 'staff'): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

/** Thrown for an address that already has an account. */
export class StaffExistsError extends Error {
  override name = 'StaffExistsError';
  constructor() {
    super('a staff member with this e-mail already exists');
  }
}

function toInfo(crypto: FieldCrypto, row: typeof staff.$inferSelect): StaffInfo {
  let hint = '•••';
  try {
    hint = emailHint(crypto.decrypt(row.emailEnc, row.id, 'staff-email'));
  } catch {
    // A key this process lacks: the list still works without the hint.
  }
  return { id: row.id, name: row.name, role: row.role, emailHint: hint, createdAt: row.createdAt, createdBy: row.createdBy };
}

/**
 * Creates an account and its TOTP secret. The returned `secret` and `uri` are the only time they exist in
 * clear: the caller shows them to the new staff member once (the CLI prints them to its terminal).
 */
export async function addStaff(
  db: Db,
  crypto: FieldCrypto,
  input: { name: string; email: string; role: Role; actor: Actor; now?: number },
): Promise<{ info: StaffInfo; secret: string; uri: string }> {
  const now = input.now ?? Date.now();
  const id = randomUUID();
  const email = input.email.trim();
  const emailHash = staffEmailIndex(crypto, email);
  const [existing] = await db.orm.select({ id: staff.id }).from(staff).where(eq(staff.emailHash, emailHash));
  if (existing) throw new StaffExistsError();
  const secret = new Secret({ size: 20 }).base32;
  const row: typeof staff.$inferInsert = {
    id,
    name: input.name,
    emailEnc: crypto.encrypt(email, id, 'staff-email'),
    emailHash,
    role: input.role,
    totpSecretEnc: crypto.encrypt(secret, id, 'staff-totp'),
    createdAt: now,
    createdBy: input.actor.id,
  };
  await db.orm.batch([
    db.orm.insert(staff).values(row),
    auditInsert(db.orm, { actor: input.actor, action: 'staff.added', subject: id, at: now, details: { name: input.name, role: input.role } }),
  ]);
  return {
    info: { id, name: input.name, role: input.role, emailHint: emailHint(email), createdAt: now, createdBy: input.actor.id },
    secret,
    uri: staffTotp(secret, input.name).toString(),
  };
}

export async function listStaff(db: Db, crypto: FieldCrypto): Promise<StaffInfo[]> {
  const rows = await db.orm.select().from(staff).orderBy(asc(staff.createdAt));
  return rows.map((row) => toInfo(crypto, row));
}

export async function findStaff(db: Db, crypto: FieldCrypto, id: string): Promise<StaffInfo | undefined> {
  const [row] = await db.orm.select().from(staff).where(eq(staff.id, id));
  return row ? toInfo(crypto, row) : undefined;
}

/** Removes an account; its sessions and sign-in links go with it (ON DELETE CASCADE). Undefined when none. */
export async function removeStaff(db: Db, crypto: FieldCrypto, id: string, actor: Actor, now: number = Date.now()): Promise<StaffInfo | undefined> {
  const existing = await findStaff(db, crypto, id);
  if (!existing) return undefined;
  await db.orm.batch([
    db.orm.delete(staff).where(eq(staff.id, id)),
    auditInsert(db.orm, { actor, action: 'staff.removed', subject: id, at: now, details: { name: existing.name, role: existing.role } }),
  ]);
  return existing;
}
