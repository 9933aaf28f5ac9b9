/**
 * One signature version as confirmation sees it, and the one UPDATE that confirms it.
 *
 * A version can be confirmed only while it is the current word of its contact's owner: pending, not
 * flagged, not superseded by a later submission, within `CONFIRMATION_LINK_TTL_MS` of its submission, and
 * its campaign open. Confirming through SMS proves the phone, so there the family-phone limit applies: when
 * the number already carries `phone_household` confirmed names, this one is held for review (flag
 * `suspect`, reason `household`) instead of counted. The counts trigger (`src/db/sql/triggers/signature_counts_on_update.sql`) moves the totals.
 */
import { signingWindow } from '@imlu/contracts/accepting';
import type { Client, ResultSet } from '@libsql/client';
import type { FieldCrypto } from '../signing/crypto.ts';
import { canonicalEmail } from '../signing/normalise.ts';
import { ACTION_COUNT_COLUMNS } from '../signing/writer.ts';

/** How long a confirmation link (and the SMS code with it) works after the signature was submitted. */
export const CONFIRMATION_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type VersionState = 'confirmable' | 'confirmed' | 'held' | 'superseded' | 'expired' | 'closed' | 'unavailable';

export interface SignatureVersion {
  id: string;
  campaignId: string;
  state: VersionState;
  confirmChannel: 'email' | 'sms' | null;
  locale: 'en' | 'sw';
  codeGen: number;
  createdAt: number;
  title: { en: string; sw: string };
  /** The contact this version confirms through (decrypted on demand), for the private manage link. */
  contact(): { kind: 'email' | 'phone'; value: string } | undefined;
  /** The details the signer is asked to confirm: decrypted only to show them to the holder of the link. */
  details(): { name: string; county: string | null; publicName: boolean; shareWithTargets: boolean; updates: boolean };
}

const SELECT_VERSION =
  'SELECT s.id, s.campaign_id, s.status, s.flag, s.flag_reason, s.superseded_by, s.confirm_channel, s.locale, s.code_gen, ' +
  's.created_at, s.confirmed_at, s.name_enc, s.email_enc, s.phone_enc, s.county, s.consent_public_name, s.consent_share_with_targets, s.consent_updates, ' +
  'c.title_en, c.title_sw, c.status AS campaign_status, c.opens_at, c.closes_at ' +
  'FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?';

function stateOf(row: Record<string, unknown>, now: number): VersionState {
  if (row['flag_reason'] === 'household' && row['confirmed_at'] !== null) return 'held';
  if (row['status'] === 'counted' && row['flag'] === null) return 'confirmed';
  if (row['superseded_by'] !== null) return 'superseded';
  // Suspect or invalidated versions were never sent a message; nothing about them is shown.
  if (row['flag'] !== null || row['status'] !== 'pending') return 'unavailable';
  if (Number(row['created_at']) + CONFIRMATION_LINK_TTL_MS <= now) return 'expired';
  const window = signingWindow(
    {
      status: String(row['campaign_status']),
      opensAt: row['opens_at'] === null ? null : Number(row['opens_at']),
      closesAt: row['closes_at'] === null ? null : Number(row['closes_at']),
    },
    now,
  );
  return window === 'open' ? 'confirmable' : 'closed';
}

export async function loadVersion(client: Client, crypto: FieldCrypto, signatureId: string, now: number): Promise<SignatureVersion | undefined> {
  const result = await client.execute({ sql: SELECT_VERSION, args: [signatureId] });
  return result.rows[0] ? versionFrom(result.rows[0] as unknown as Record<string, unknown>, crypto, now) : undefined;
}

function versionFrom(row: Record<string, unknown>, crypto: FieldCrypto, now: number): SignatureVersion {
  const campaignId = String(row['campaign_id']);
  return {
    id: String(row['id']),
    campaignId,
    state: stateOf(row, now),
    confirmChannel: row['confirm_channel'] === 'email' || row['confirm_channel'] === 'sms' ? row['confirm_channel'] : null,
    locale: row['locale'] === 'sw' ? 'sw' : 'en',
    codeGen: Number(row['code_gen']),
    createdAt: Number(row['created_at']),
    title: { en: String(row['title_en']), sw: String(row['title_sw']) },
    contact: () => {
      if (row['confirm_channel'] === 'email' && row['email_enc'] !== null) {
        return { kind: 'email', value: canonicalEmail(crypto.decrypt(String(row['email_enc']), campaignId, 'email')) };
      }
      if (row['confirm_channel'] === 'sms' && row['phone_enc'] !== null) {
        return { kind: 'phone', value: crypto.decrypt(String(row['phone_enc']), campaignId, 'phone') };
      }
      return undefined;
    },
    details: () => ({
      name: crypto.decrypt(String(row['name_enc']), campaignId, 'name'),
      county: row['county'] === null ? null : String(row['county']),
      publicName: Boolean(row['consent_public_name']),
      shareWithTargets: Boolean(row['consent_share_with_targets']),
      updates: Boolean(row['consent_updates']),
    }),
  };
}

/** SQL: true when confirming this row would pass its phone's family limit (used inside the UPDATE). */
const HOUSEHOLD_FULL =
  "(signatures.confirm_channel = 'sms' AND signatures.phone_hash IS NOT NULL AND " +
  '(SELECT COUNT(*) FROM signatures o WHERE o.campaign_id = signatures.campaign_id AND o.phone_hash = signatures.phone_hash ' +
  "AND o.status = 'counted' AND o.flag IS NULL AND (o.confirm_channel IS NULL OR o.confirm_channel = 'sms')) " +
  '>= (SELECT phone_household FROM campaigns WHERE id = signatures.campaign_id))';

export type ConfirmOutcome = { outcome: 'confirmed' | 'held'; countRows: ResultSet; actionCountRows: ResultSet } | { outcome: 'not-confirmable' };

/**
 * Confirms this version, if it is still confirmable, in ONE write transaction (two nodes or two clicks at
 * once confirm it once), and reads the campaign's count rows back for the snapshot. The signing window is
 * `signingWindow`'s rule, restated in SQL so that it is checked atomically with the change.
 */
export async function confirmVersion(client: Client, signatureId: string, channel: 'email' | 'sms', now: number): Promise<ConfirmOutcome> {
  const [update, countRows, actionCountRows] = await client.batch(
    [
      {
        sql:
          `UPDATE signatures SET status = CASE WHEN ${HOUSEHOLD_FULL} THEN status ELSE 'counted' END, ` +
          `flag = CASE WHEN ${HOUSEHOLD_FULL} THEN 'suspect' ELSE flag END, ` +
          `flag_reason = CASE WHEN ${HOUSEHOLD_FULL} THEN 'household' ELSE flag_reason END, confirmed_at = ? ` +
          "WHERE id = ? AND status = 'pending' AND flag IS NULL AND superseded_by IS NULL AND confirm_channel = ? AND created_at > ? " +
          'AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = signatures.campaign_id AND c.status = ? ' +
          'AND (c.opens_at IS NULL OR c.opens_at <= ?) AND (c.closes_at IS NULL OR c.closes_at > ?)) RETURNING status',
        args: [now, signatureId, channel, now - CONFIRMATION_LINK_TTL_MS, 'open', now, now],
      },
      {
        sql:
          'SELECT campaign_id, bucket, counted, pending, version, updated_at FROM campaign_counts ' +
          'WHERE campaign_id = (SELECT campaign_id FROM signatures WHERE id = ?)',
        args: [signatureId],
      },
      // A pledge's figures move with its confirmation too (by trigger); none for a petition.
      {
        sql: `SELECT ${ACTION_COUNT_COLUMNS} FROM pledge_action_counts WHERE campaign_id = (SELECT campaign_id FROM signatures WHERE id = ?)`,
        args: [signatureId],
      },
    ],
    'write',
  );
  const row = update!.rows[0];
  if (!row) return { outcome: 'not-confirmable' };
  return { outcome: row[0] === 'counted' ? 'confirmed' : 'held', countRows: countRows!, actionCountRows: actionCountRows! };
}
