/**
 * What is stored about a contact, and the signer's rights over it: see, withdraw, stop updates, erase. The
 * manage page (`/me`) and `imlu signer` both act through these functions, so a signer and a campaigner
 * acting on their request do exactly the same thing.
 *
 * **Finding a contact's signatures.** Blind indexes are per campaign, so every campaign is asked:
 * - an e-mail address by its blind-index row (`signature_dedupe`, kind `email`) — the version that holds it
 *   now — and the versions that version replaced (`superseded_by`, recursively), each kept only if its own
 *   address, decrypted, is this one;
 * - a phone number by `signatures.phone_hash`, every version and status. The family-phone index
 *   (`signatures_phone_idx`) holds counted rows only, so this reads each campaign's rows through
 *   `signatures_campaign_created_idx` and compares the hash: 40–65 ms per 100,000 signatures on a busy
 *   2-core machine (`pnpm --filter @imlu/api bench:signer-lookup`), on the one database connection. An index
 *   on `(campaign_id, phone_hash)` over all rows makes it a seek (0.02 ms), at the cost of an index write
 *   per pending signature too; it needs a migration, so it is proposed, not made here.
 *
 * **Whose signature it is.** The owner of a contact decides (issue 10), and a contact proves only itself.
 * A version is the contact's own (`owner`) when it is confirmed, or waits to be confirmed, through this
 * contact, when its campaign confirms nothing, or when it holds no other contact. Otherwise the contact only
 * *appears* on it (`listed`): a signer typed this number beside the e-mail address that confirms. Its holder
 * is told that, and erasing removes the contact from it — but it is not theirs to read or withdraw, or a
 * mistyped number would show a stranger who signed what.
 *
 * **Withdrawing** flags a version `withdrawn` (`flag_reason`: `signer`, or `request` when a campaigner acted
 * on one) and sets its status back to `pending`. The counts trigger (`src/db/sql/triggers/signature_counts_on_update.sql`) takes it out of the
 * counted (or pending, or suspect) totals and its county at once; exports, packs and webhooks skip flagged
 * rows. Status `pending` is what makes a withdrawn signature bind nothing: the intake trigger treats it like
 * any unconfirmed holder of its contact, so signing again stores a new signature that replaces it, without a
 * change to the trigger. Nothing confirms, counts or messages it again (each of those requires `flag IS
 * NULL`), and `confirmed_at` keeps when it had been confirmed.
 *
 * **Erasing** withdraws the contact's current versions (so the counts drop), then deletes every version it
 * owns (superseded ones too), their blind-index rows, idempotency records, code tries and queued messages,
 * and removes the contact from versions where it is only listed. With `secure_delete` on and the WAL
 * checkpointed and truncated, no byte of it remains in the database files. An erased signature does not
 * count: erasure withdraws. The audit log keeps, per campaign, that an erasure happened and how many rows —
 * never a signature id, which an export made earlier could tie to a name.
 */
import type { Client, InStatement, Row } from '@libsql/client';
import type { Locale } from '@imlu/contracts';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/client.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { uuidv7 } from '../signing/ids.ts';
import { canonicalEmail } from '../signing/normalise.ts';
import { readCountRows, type CountRow } from '../signing/writer.ts';
import type { Contact } from './access.ts';

export type SignatureState = 'counted' | 'pending' | 'withdrawn' | 'held' | 'invalid' | 'replaced';

/** Who acted: the signer on the manage page, or a campaigner on the signer's request (post, phone). */
export type RightsActor = { by: 'signer' } | { by: 'campaigner'; actor: Actor };

export const SIGNER_ACTOR: Actor = { id: 'signer', name: 'the signer (manage page)' };

export interface SignerRecord {
  id: string;
  campaign: { id: string; slug: string; title: { en: string; sw: string } };
  /** `owner`: the contact's own signature; `listed`: the contact only appears on it (see the header). */
  role: 'owner' | 'listed';
  state: SignatureState;
  /** False for a version a later submission replaced. */
  current: boolean;
  confirmChannel: 'email' | 'sms' | null;
  county: string | null;
  locale: Locale;
  createdAt: number;
  confirmedAt: number | null;
  consent: { terms: boolean; publicName: boolean; shareWithTargets: boolean; updates: boolean; version: string; at: number };
  /** Left out of exports by a campaigner (`imlu strike`). */
  struck: boolean;
  /** The partner site it came through (its origin) and the partner's `?source=` reference, as stored. */
  origin: string | null;
  sourceRef: string | null;
  /** The encrypted contacts, for a message (never decrypted here). */
  envelopes: { email: string | null; phone: string | null };
  /** Decrypted on demand, only for the holder of the contact or a campaigner. */
  details(): { name: string; email: string | null; phone: string | null; comment: string | null };
}

const COLUMNS =
  's.id, s.campaign_id, s.status, s.flag, s.superseded_by, s.confirm_channel, s.confirmed_at, s.created_at, s.name_enc, ' +
  's.email_enc, s.phone_enc, s.comment_enc, s.county, s.locale, s.consent_terms, s.consent_public_name, ' +
  's.consent_share_with_targets, s.consent_updates, s.consent_version, s.consent_at, s.struck_at, s.origin, s.source_ref, ' +
  'c.slug, c.title_en, c.title_sw';

/** The SQL condition of a version that withdrawal (and so erasure) takes out of the counts. */
const WITHDRAWABLE = "superseded_by IS NULL AND (flag IS NULL OR flag = 'suspect')";

function stateOf(row: Row): SignatureState {
  if (row['superseded_by'] !== null) return 'replaced';
  if (row['flag'] === 'withdrawn') return 'withdrawn';
  if (row['flag'] === 'invalid') return 'invalid';
  if (row['flag'] !== null) return 'held';
  return row['status'] === 'counted' ? 'counted' : 'pending';
}

function recordFrom(row: Row, crypto: FieldCrypto, role: SignerRecord['role']): SignerRecord {
  const campaignId = String(row['campaign_id']);
  const text = (key: string) => (row[key] === null ? null : String(row[key]));
  const channel = row['confirm_channel'];
  return {
    id: String(row['id']),
    campaign: { id: campaignId, slug: String(row['slug']), title: { en: String(row['title_en']), sw: String(row['title_sw']) } },
    role,
    state: stateOf(row),
    current: row['superseded_by'] === null,
    confirmChannel: channel === 'email' || channel === 'sms' ? channel : null,
    county: text('county'),
    locale: row['locale'] === 'sw' ? 'sw' : 'en',
    createdAt: Number(row['created_at']),
    confirmedAt: row['confirmed_at'] === null ? null : Number(row['confirmed_at']),
    consent: {
      terms: Boolean(row['consent_terms']),
      publicName: Boolean(row['consent_public_name']),
      shareWithTargets: Boolean(row['consent_share_with_targets']),
      updates: Boolean(row['consent_updates']),
      version: String(row['consent_version']),
      at: Number(row['consent_at']),
    },
    struck: row['struck_at'] !== null,
    origin: text('origin'),
    sourceRef: text('source_ref'),
    envelopes: { email: text('email_enc'), phone: text('phone_enc') },
    details: () => ({
      name: crypto.decrypt(String(row['name_enc']), campaignId, 'name'),
      email: row['email_enc'] === null ? null : crypto.decrypt(String(row['email_enc']), campaignId, 'email'),
      phone: row['phone_enc'] === null ? null : crypto.decrypt(String(row['phone_enc']), campaignId, 'phone'),
      comment: row['comment_enc'] === null ? null : crypto.decrypt(String(row['comment_enc']), campaignId, 'comment'),
    }),
  };
}

function roleOf(row: Row, contact: Contact): SignerRecord['role'] {
  const proving = contact.kind === 'phone' ? 'sms' : 'email';
  const other = contact.kind === 'phone' ? row['email_enc'] : row['phone_enc'];
  return row['confirm_channel'] === null || row['confirm_channel'] === proving || other === null ? 'owner' : 'listed';
}

/** Every stored version that holds this contact, in every campaign whose personal data is still kept. */
export async function findByContact(client: Client, crypto: FieldCrypto, contact: Contact): Promise<SignerRecord[]> {
  const campaigns = (await client.execute('SELECT id FROM campaigns WHERE anonymised_at IS NULL ORDER BY created_at')).rows.map((r) => String(r[0]));
  if (!campaigns.length) return [];
  const statements: InStatement[] = campaigns.map((campaignId) =>
    contact.kind === 'phone'
      ? {
          // Every status, so not the partial family-phone index (counted rows only): the campaign's rows, read
          // through its (campaign, time) index. Named, because the planner otherwise picks another index on
          // campaign_id, or after ANALYZE scans the whole table when one campaign dominates (both slower).
          sql:
            `SELECT ${COLUMNS} FROM signatures AS s INDEXED BY signatures_campaign_created_idx JOIN campaigns c ON c.id = s.campaign_id ` +
            'WHERE s.campaign_id = ? AND s.phone_hash = ?',
          args: [campaignId, crypto.blindIndex('phone', campaignId, contact.value)],
        }
      : {
          sql:
            'WITH RECURSIVE chain(id) AS (SELECT signature_id FROM signature_dedupe WHERE campaign_id = ? AND key_hmac = ? ' +
            'UNION SELECT s.id FROM signatures s JOIN chain ON s.superseded_by = chain.id) ' +
            `SELECT ${COLUMNS} FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id IN (SELECT id FROM chain)`,
          args: [campaignId, crypto.blindIndex('email', campaignId, contact.value)],
        },
  );
  const results = await client.batch(statements, 'read');
  const records: SignerRecord[] = [];
  for (const result of results) {
    for (const row of result.rows) {
      if (contact.kind === 'email') {
        // A replaced version in the chain may have shared only its phone number with its successor.
        const email = row['email_enc'] === null ? null : crypto.decrypt(String(row['email_enc']), String(row['campaign_id']), 'email');
        if (email === null || canonicalEmail(email) !== contact.value) continue;
      }
      records.push(recordFrom(row, crypto, roleOf(row, contact)));
    }
  }
  return records.sort((a, b) => Number(b.current) - Number(a.current) || b.createdAt - a.createdAt);
}

/** One signature by id, for a campaigner (`imlu signer show`). */
export async function findById(client: Client, crypto: FieldCrypto, id: string): Promise<SignerRecord | undefined> {
  const result = await client.execute({ sql: `SELECT ${COLUMNS} FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?`, args: [id] });
  return result.rows[0] ? recordFrom(result.rows[0], crypto, 'owner') : undefined;
}

/** Whether withdrawing this version changes anything: the contact's own current version, not yet withdrawn or invalidated. */
export function isWithdrawable(record: SignerRecord): boolean {
  return record.role === 'owner' && record.current && (record.state === 'counted' || record.state === 'pending' || record.state === 'held');
}

function actorOf(who: RightsActor): Actor {
  return who.by === 'signer' ? SIGNER_ACTOR : who.actor;
}

/**
 * An audit entry as SQL, for the same write transaction as the change it records; with `onlyIfChanged`, it
 * is written only when the statement before it changed a row. Never personal data, never a signature id.
 */
function audit(who: RightsActor, action: string, campaignId: string, rowCount: number, details: Record<string, unknown>, now: number, onlyIfChanged = false): InStatement {
  const actor = actorOf(who);
  return {
    sql:
      'INSERT INTO audit_log (id, at, actor, actor_name, action, campaign_id, subject, row_count, details) ' +
      `SELECT ?, ?, ?, ?, ?, ?, NULL, ?, ?${onlyIfChanged ? ' WHERE changes() > 0' : ''}`,
    args: [uuidv7(now), now, actor.id, actor.name, action, campaignId, rowCount, JSON.stringify({ by: who.by, ...details })],
  };
}

const countsOf = (campaignIds: string[]): InStatement => ({
  sql: `SELECT campaign_id, bucket, counted, pending, version, updated_at FROM campaign_counts WHERE campaign_id IN (${campaignIds.map(() => '?').join(', ')})`,
  args: campaignIds,
});

export interface ChangeResult {
  changed: boolean;
  /** The campaign's count rows after the change, for the counts snapshot. */
  counts: CountRow[];
}

/** Withdraws one version, if it still counts for anything (see the header); audited as `signature.withdrawn`. */
export async function withdrawSignature(db: Db, record: SignerRecord, who: RightsActor, now: number): Promise<ChangeResult> {
  const [update, , counts] = await db.client.batch(
    [
      {
        sql: `UPDATE signatures SET status = 'pending', flag = 'withdrawn', flag_reason = ? WHERE id = ? AND ${WITHDRAWABLE}`,
        args: [who.by === 'signer' ? 'signer' : 'request', record.id],
      },
      audit(who, 'signature.withdrawn', record.campaign.id, 1, { was: record.state }, now, true),
      countsOf([record.campaign.id]),
    ],
    'write',
  );
  return { changed: update!.rowsAffected > 0, counts: readCountRows(counts!) };
}

/** Withdraws the `updates` consent of one version; audited as `signature.updates_stopped`. */
export async function stopUpdates(db: Db, record: SignerRecord, who: RightsActor, now: number): Promise<ChangeResult> {
  const [update] = await db.client.batch(
    [
      { sql: 'UPDATE signatures SET consent_updates = 0 WHERE id = ? AND consent_updates = 1', args: [record.id] },
      audit(who, 'signature.updates_stopped', record.campaign.id, 1, {}, now, true),
    ],
    'write',
  );
  return { changed: update!.rowsAffected > 0, counts: [] };
}

export interface EraseReport {
  /** Per campaign: versions deleted, and versions the contact was removed from. */
  campaigns: { campaignId: string; slug: string; deleted: number; contactRemoved: number }[];
  deleted: number;
  contactRemoved: number;
  /** Count rows of the campaigns touched, after the erasure. */
  counts: CountRow[];
  /** False when the WAL could not be truncated at once (another connection reading): see the caller. */
  walTruncated: boolean;
}

/**
 * Erases a contact's personal data in every campaign, in ONE write transaction: `records` are what
 * `findByContact` found for it. Then the WAL is checkpointed and truncated so no old page image remains.
 */
export async function eraseContact(db: Db, contact: Contact, records: SignerRecord[], who: RightsActor, now: number): Promise<EraseReport> {
  const owned = records.filter((r) => r.role === 'owner');
  const listed = records.filter((r) => r.role === 'listed');
  const campaignIds = [...new Set(records.map((r) => r.campaign.id))];
  const report: EraseReport = { campaigns: [], deleted: 0, contactRemoved: 0, counts: [], walTruncated: true };
  if (!records.length) return report;

  const list = (ids: string[]) => ids.map(() => '?').join(', ');
  const ownedIds = owned.map((r) => r.id);
  const listedIds = listed.map((r) => r.id);
  const statements: InStatement[] = [];
  if (ownedIds.length) {
    statements.push(
      // First withdraw, so that the counts trigger takes them out of every total and county.
      {
        sql: `UPDATE signatures SET status = 'pending', flag = 'withdrawn', flag_reason = ? WHERE id IN (${list(ownedIds)}) AND ${WITHDRAWABLE}`,
        args: [who.by === 'signer' ? 'signer' : 'request', ...ownedIds],
      },
      // Explicitly, not by the foreign keys' cascade: a libSQL server may run without foreign keys enforced.
      { sql: `DELETE FROM outbox WHERE signature_id IN (${list(ownedIds)})`, args: ownedIds },
      { sql: `DELETE FROM signature_dedupe WHERE signature_id IN (${list(ownedIds)})`, args: ownedIds },
      { sql: `DELETE FROM code_attempts WHERE signature_id IN (${list(ownedIds)})`, args: ownedIds },
    );
    for (const campaignId of campaignIds) {
      const ids = owned.filter((r) => r.campaign.id === campaignId).map((r) => r.id);
      if (ids.length) {
        statements.push({ sql: `DELETE FROM idempotency_keys WHERE campaign_id = ? AND submission_id IN (${list(ids)})`, args: [campaignId, ...ids] });
      }
    }
    statements.push({ sql: `DELETE FROM signatures WHERE id IN (${list(ownedIds)})`, args: ownedIds });
  }
  if (listedIds.length) {
    // The other contact stays: it is someone else's, and it is what confirms that signature.
    const [clear, other, channel] =
      contact.kind === 'phone' ? ['phone_enc = NULL, phone_hash = NULL', 'email_enc', 'sms'] : ['email_enc = NULL', 'phone_enc', 'email'];
    statements.push(
      { sql: `UPDATE signatures SET ${clear} WHERE id IN (${list(listedIds)}) AND ${other} IS NOT NULL`, args: listedIds },
      { sql: `DELETE FROM signature_dedupe WHERE signature_id IN (${list(listedIds)}) AND kind = ?`, args: [...listedIds, contact.kind] },
      { sql: `DELETE FROM outbox WHERE signature_id IN (${list(listedIds)}) AND kind IN (?, ?)`, args: [...listedIds, `confirm-${channel}`, `manage-${channel}`] },
    );
  }
  for (const campaignId of campaignIds) {
    const deleted = owned.filter((r) => r.campaign.id === campaignId).length;
    const contactRemoved = listed.filter((r) => r.campaign.id === campaignId).length;
    report.campaigns.push({ campaignId, slug: records.find((r) => r.campaign.id === campaignId)!.campaign.slug, deleted, contactRemoved });
    report.deleted += deleted;
    report.contactRemoved += contactRemoved;
    statements.push(audit(who, 'signer.erased', campaignId, deleted, { contact: contact.kind, contactRemovedFrom: contactRemoved }, now));
  }
  // The nightly compaction (`compactIfDue`, with retention) rebuilds the file: SQLite can keep stale copies
  // of cells in pages it split earlier, beyond what `secure_delete` zeroes.
  statements.push({ sql: "INSERT INTO instance_meta (key, value) VALUES ('compaction_due', '1') ON CONFLICT (key) DO UPDATE SET value = '1'", args: [] });
  statements.push(countsOf(campaignIds));
  const results = await db.client.batch(statements, 'write');
  report.counts = readCountRows(results.at(-1)!);
  report.walTruncated = await truncateWal(db);
  return report;
}

/**
 * Copies the WAL into the database file (whose deleted cells `secure_delete` has zeroed) and truncates it,
 * so no old page image of an erased row lingers there. Returns false if another connection kept it from
 * completing; the next checkpoint (SQLite's automatic one, or the next erasure or retention run) finishes it.
 */
export async function truncateWal(db: Db): Promise<boolean> {
  if (!db.embedded) return true;
  const result = await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  return Number(result.rows[0]?.[0] ?? 0) === 0;
}
