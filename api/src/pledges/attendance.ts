/**
 * Attendance from a sign-in sheet (issue 16): a campaigner hands in the phones and e-mail addresses of the
 * people who were there, and each one's live pledge of that action is kept — once. The sheet's contacts
 * are matched only through the blind index, as dedupe computes it (e-mail: `signature_dedupe`; phone:
 * the signature's keyed phone hash, since a phone's dedupe key also holds the signer's name, which a
 * sheet does not reliably have), so nothing is decrypted and the contacts are never stored or logged.
 *
 * `kept_at` is set only where it is empty (`kept_by = 'attendance'`): a person who already reported
 * "done", or who was on an earlier sheet, is counted as already kept and the figure does not move again.
 * A supporter who said "can't make it" but was there after all is kept and back to `pledged`, so the
 * figures do not show them both as "can't" and as "kept". A family phone on the sheet keeps every live
 * pledge made from that phone for the action: the sheet cannot tell the family's members apart.
 */
import { parse } from 'csv-parse/sync';
import { normalisePhone } from '@imlu/contracts';
import type { InValue } from '@libsql/client';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/client.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { uuidv7 } from '../signing/ids.ts';
import { canonicalEmail } from '../signing/normalise.ts';

/** Most contacts in one request (a large hearing's sheets fit; a bigger list is sent in parts). */
export const MAX_ATTENDANCE_CONTACTS = 10_000;

export interface AttendanceResult {
  /** Contacts of the sheet with a live pledge of this action. */
  matched: number;
  /** Pledges kept by this sheet. */
  newlyKept: number;
  /** Matched pledges that were kept before (reported done, or an earlier sheet). */
  alreadyKept: number;
  /** Contacts of the sheet without a live pledge of this action. */
  notFound: number;
}

export type SheetContact = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

/** A sheet's line as a contact: an e-mail address, or a phone number in any common Kenyan form; else undefined. */
export function parseSheetContact(raw: string): SheetContact | undefined {
  const value = raw.trim();
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return { kind: 'email', value: canonicalEmail(value) };
  const phone = normalisePhone(value);
  return phone ? { kind: 'phone', value: phone } : undefined;
}

/** A sheet's entries as contacts, with the positions (0-based) of those that are neither. */
export function parseSheet(entries: readonly string[]): { contacts: SheetContact[]; invalid: number[] } {
  const contacts: SheetContact[] = [];
  const invalid: number[] = [];
  entries.forEach((entry, i) => {
    const contact = parseSheetContact(entry);
    if (contact) contacts.push(contact);
    else invalid.push(i);
  });
  return { contacts, invalid };
}

/**
 * The contacts of a sign-in sheet file: one per line, or a CSV (comma, semicolon or tab) whose header names
 * a phone and/or e-mail column (`phone`, `simu`, `email`, `barua pepe` …); a row with both gives its phone,
 * else its e-mail, so each row is one person. Blank lines are left out.
 */
export function sheetEntries(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '');
  if (!lines.length) return [];
  const separator = [',', ';', '\t'].find((s) => lines[0]!.includes(s));
  if (!separator) return lines.map((line) => line.trim());
  // A spreadsheet's CSV quotes its cells ("Otieno, Ouma"): read by a CSV parser, not split by hand.
  const rows = parse(lines.join('\n'), { delimiter: separator, relax_column_count: true, relax_quotes: true, trim: true }) as string[][];
  const header = rows[0]!.map((cell) => cell.toLowerCase());
  const phoneAt = header.findIndex((h) => /^(phone|mobile|tel|telephone|simu|namba|number|phone number|nambari ya simu)$/.test(h));
  const emailAt = header.findIndex((h) => /^(e-?mail|email address|barua pepe)$/.test(h));
  if (phoneAt < 0 && emailAt < 0) return lines.map((line) => line.trim());
  return rows.slice(1).map((cells) => {
    const phone = phoneAt >= 0 ? (cells[phoneAt] ?? '') : '';
    const email = emailAt >= 0 ? (cells[emailAt] ?? '') : '';
    return phone && parseSheetContact(phone) ? phone : email || phone;
  });
}

/** Contacts per lookup: each lookup is one indexed search per key, kept to a modest statement. */
const CHUNK = 500;

const LIVE = "s.status = 'counted' AND s.flag IS NULL";

export async function recordAttendance(
  db: Db,
  crypto: FieldCrypto,
  campaignId: string,
  actionId: string,
  contacts: readonly SheetContact[],
  actor: Actor,
  now: number,
): Promise<AttendanceResult> {
  // One key per distinct contact; the sheet may list a person twice.
  const keys = new Map<string, { kind: 'email' | 'phone'; hmac: Buffer }>();
  for (const contact of contacts) {
    const hmac = crypto.blindIndex(contact.kind === 'email' ? 'email' : 'phone', campaignId, contact.value);
    keys.set(`${contact.kind}:${hmac.toString('hex')}`, { kind: contact.kind, hmac });
  }
  const all = [...keys.values()];
  const matchedKeys = new Set<string>();
  const signatureIds = new Set<string>();
  for (const kind of ['email', 'phone'] as const) {
    const hmacs = all.filter((k) => k.kind === kind).map((k) => k.hmac);
    for (let i = 0; i < hmacs.length; i += CHUNK) {
      const chunk = hmacs.slice(i, i + CHUNK);
      const marks = chunk.map(() => '?').join(', ');
      const sql =
        kind === 'email'
          ? 'SELECT d.key_hmac, c.signature_id FROM signature_dedupe d JOIN signatures s ON s.id = d.signature_id ' +
            'JOIN pledge_commitments c ON c.signature_id = s.id AND c.action_id = ? ' +
            `WHERE d.campaign_id = ? AND d.kind = 'email' AND d.key_hmac IN (${marks}) AND ${LIVE}`
          : 'SELECT s.phone_hash, c.signature_id FROM signatures s JOIN pledge_commitments c ON c.signature_id = s.id AND c.action_id = ? ' +
            `WHERE s.campaign_id = ? AND s.phone_hash IN (${marks}) AND ${LIVE}`;
      const result = await db.client.execute({ sql, args: [actionId, campaignId, ...chunk] });
      for (const row of result.rows) {
        matchedKeys.add(`${kind}:${Buffer.from(row[0] as ArrayBuffer).toString('hex')}`);
        signatureIds.add(String(row[1]));
      }
    }
  }

  const ids = [...signatureIds];
  const matched = matchedKeys.size;
  const notFound = all.length - matched;
  // The change and its audit entry in one transaction; the entry's numbers come from the UPDATE itself
  // (`changes()`), so a pledge reported "done" between the match and the update is not counted twice.
  // The entry holds the numbers and the action only: never a contact, a hash of one, or a signature id.
  const keep = {
    sql:
      "UPDATE pledge_commitments SET kept_at = ?1, kept_by = 'attendance', " +
      "state = CASE WHEN state = 'cant' THEN 'pledged' ELSE state END, state_at = CASE WHEN state = 'cant' THEN ?1 ELSE state_at END " +
      'WHERE action_id = ?2 AND kept_at IS NULL AND signature_id IN (SELECT value FROM json_each(?3))',
    args: [now, actionId, JSON.stringify(ids)] as InValue[],
  };
  const results = await db.client.batch(
    [
      keep,
      {
        sql:
          'INSERT INTO audit_log (id, at, actor, actor_name, action, campaign_id, subject, row_count, details) ' +
          "VALUES (?, ?, ?, ?, 'pledge.attendance', ?, ?, changes(), json_object('actionId', ?, 'contacts', ?, 'matched', ?, 'newlyKept', changes(), 'alreadyKept', ? - changes(), 'notFound', ?))",
        args: [uuidv7(now), now, actor.id, actor.name, campaignId, actionId, actionId, all.length, matched, ids.length, notFound],
      },
    ],
    'write',
  );
  const newlyKept = results[0]!.rowsAffected;
  const result: AttendanceResult = { matched, newlyKept, alreadyKept: ids.length - newlyKept, notFound };
  return result;
}
