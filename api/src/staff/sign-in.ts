/**
 * Signing in to the console: a one-time link by e-mail, then a TOTP code.
 *
 * - Asking for a link answers the same 202 at once whatever the address: the lookup, the link and the
 *   e-mail happen after the answer, in this process (`request` only queues), so neither the answer nor its
 *   timing tells whether the address has an account.
 * - A link's token (256 bits) exists in clear only in the e-mail; the database keeps its SHA-256. The
 *   link carries it in the URL fragment (`/console#link=…`), which browsers never send, and the console
 *   exchanges it by POST: it reaches no access log, proxy or Referer.
 * - A link works once, for 15 minutes, and for 5 wrong codes at most; an account gets at most 3 links per
 *   15 minutes, so at most 15 guesses of a 6-digit code per quarter hour reach the TOTP check.
 * - A TOTP code is accepted for its 30-second step or the one either side, and only for a step later than
 *   the last one accepted: a code used once cannot be used again (`staff.totp_last_step`).
 *
 * Sign-in e-mails go straight to the mail transport rather than through the outbox: outbox rows belong to
 * a campaign (and are retried for hours), while a sign-in link is worth sending only in its 15 minutes, and
 * whoever waits for it can ask again.
 */
import type { Client } from '@libsql/client';
import type { Locale } from '@imlu/contracts';
import { recordAudit } from '../audit/audit.ts';
import { escapeHtml } from '../confirm/messages.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logging/logger.ts';
import type { MailTransport } from '../messages/email.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { staffActor } from '../auth/actor.ts';
import { staffEmailIndex, staffTotp, TOTP_PERIOD_SECONDS } from './accounts.ts';
import { hashSecret, newSecret, SESSION_ABSOLUTE_MS, type StaffSessions } from './sessions.ts';

export const LINK_TTL_MS = 15 * 60_000;
export const LINKS_PER_WINDOW = 3;
export const CODE_TRIES_PER_LINK = 5;
/** Requests waiting for their lookup and e-mail; beyond this a flood is dropped (and logged), not queued. */
const MAX_QUEUED = 100;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Links and sessions that ended longer ago than this are deleted (their sign-ins stay in the audit log). */
const PRUNE_AFTER_MS = 24 * 60 * 60_000;

export type VerifyResult =
  | { ok: true; secret: string; sessionId: string; staffId: string; expiresAt: number }
  | { ok: false; reason: 'invalid-link' | 'wrong-code' };

export interface SignInOptions {
  db: Db;
  crypto: FieldCrypto;
  sessions: StaffSessions;
  clock: () => number;
  logger: Logger;
  publicBaseUrl: () => string;
  mail: MailTransport | undefined;
}

export class StaffSignIn {
  readonly #o: SignInOptions;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;

  constructor(options: SignInOptions) {
    this.#o = options;
  }

  get #client(): Client {
    return this.#o.db.client;
  }

  /** Queues a link for `email` if it belongs to a staff member. Returns before anything is looked up. */
  request(email: string, locale: Locale): void {
    if (this.#queued >= MAX_QUEUED) {
      this.#o.logger.warn('staff sign-in queue full: request dropped', { event: 'staff.sign-in.dropped' });
      return;
    }
    this.#queued++;
    this.#queue = this.#queue
      .then(() => this.#send(email, locale))
      .catch((error: unknown) => {
        this.#o.logger.warn('staff sign-in link not sent', { event: 'staff.sign-in.failed', code: (error as { code?: string }).code ?? (error as Error).name });
      })
      .finally(() => this.#queued--);
  }

  /** Resolves once every queued request was handled (tests; shutdown). */
  settled(): Promise<void> {
    return this.#queue;
  }

  async #send(email: string, locale: Locale): Promise<void> {
    const now = this.#o.clock();
    const found = await this.#client.execute({ sql: 'SELECT id, name, email_enc FROM staff WHERE email_hash = ?', args: [staffEmailIndex(this.#o.crypto, email)] });
    const row = found.rows[0];
    if (!row) return;
    const [staffId, name, emailEnc] = [String(row[0]), String(row[1]), String(row[2])];
    const recent = await this.#client.execute({
      sql: 'SELECT COUNT(*) FROM staff_sign_in_links WHERE staff_id = ? AND created_at > ?',
      args: [staffId, now - LINK_TTL_MS],
    });
    if (Number(recent.rows[0]?.[0]) >= LINKS_PER_WINDOW) {
      this.#o.logger.info('staff sign-in link not sent: too many asked', { event: 'staff.sign-in.capped', staffId });
      return;
    }
    if (!this.#o.mail) {
      this.#o.logger.warn('staff sign-in link not sent: no mail transport (set SMTP_URL)', { event: 'staff.sign-in.no-mail' });
      return;
    }
    const secret = newSecret();
    await this.#client.execute({
      sql: 'INSERT INTO staff_sign_in_links (id, staff_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      args: [crypto.randomUUID(), staffId, hashSecret(secret), now, now + LINK_TTL_MS],
    });
    // The stored address, never the one typed: a link goes only to the mailbox the account was made with.
    const to = this.#o.crypto.decrypt(emailEnc, staffId, 'staff-email');
    const link = `${this.#o.publicBaseUrl().replace(/\/+$/, '')}/console#link=${secret}`;
    await this.#o.mail.send({ to, ...signInEmail(locale, name, link), language: locale });
  }

  /**
   * Exchanges a link's token and a TOTP code for a session. Spends the link and the code's time step in one
   * batch that opens the session only if both were still unspent (two requests racing with one link or one
   * code open one session at most).
   */
  async verify(secret: string, code: string): Promise<VerifyResult> {
    if (!SECRET_PATTERN.test(secret)) return { ok: false, reason: 'invalid-link' };
    const now = this.#o.clock();
    const found = await this.#client.execute({
      sql:
        'SELECT l.id, l.expires_at, l.used_at, l.failed_codes, s.id, s.name, s.totp_secret_enc, s.totp_last_step ' +
        'FROM staff_sign_in_links l JOIN staff s ON s.id = l.staff_id WHERE l.token_hash = ?',
      args: [hashSecret(secret)],
    });
    const row = found.rows[0];
    if (!row || row[2] !== null || Number(row[1]) <= now || Number(row[3]) >= CODE_TRIES_PER_LINK) return { ok: false, reason: 'invalid-link' };
    const [linkId, staffId, name, lastStep] = [String(row[0]), String(row[4]), String(row[5]), Number(row[7])];
    const totp = staffTotp(this.#o.crypto.decrypt(String(row[6]), staffId, 'staff-totp'));
    const delta = /^\d{6}$/.test(code) ? totp.validate({ token: code, timestamp: now, window: 1 }) : null;
    const step = delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
    if (step === null || step <= lastStep) {
      await this.#client.execute({ sql: 'UPDATE staff_sign_in_links SET failed_codes = failed_codes + 1 WHERE id = ?', args: [linkId] });
      await recordAudit(this.#o.db.orm, { actor: staffActor(staffId, name), action: 'staff.sign-in-refused', subject: staffId, at: now, details: { reason: step === null ? 'wrong-code' : 'code-reused' } });
      return { ok: false, reason: 'wrong-code' };
    }
    const sessionSecret = newSecret();
    const { id: sessionId, statement } = this.#o.sessions.insertStatement(sessionSecret, staffId, now, {
      sql: 'changes() = 1 AND (SELECT used_at FROM staff_sign_in_links WHERE id = ?) = ? AND (SELECT totp_last_step FROM staff WHERE id = ?) = ?',
      args: [linkId, now, staffId, step],
    });
    const results = await this.#client.batch(
      [
        { sql: 'UPDATE staff_sign_in_links SET used_at = ? WHERE id = ? AND used_at IS NULL', args: [now, linkId] },
        // Only after the link was taken by this batch (changes() of the statement before), so a lost race spends no step.
        { sql: 'UPDATE staff SET totp_last_step = ? WHERE id = ? AND totp_last_step < ? AND changes() = 1', args: [step, staffId, step] },
        statement,
        // Housekeeping at each sign-in: this staff member's spent links and ended sessions older than a day.
        { sql: 'DELETE FROM staff_sign_in_links WHERE staff_id = ? AND expires_at < ?', args: [staffId, now - PRUNE_AFTER_MS] },
        { sql: 'DELETE FROM staff_sessions WHERE staff_id = ? AND (expires_at < ? OR revoked_at < ? OR last_seen_at < ?)', args: [staffId, now - PRUNE_AFTER_MS, now - PRUNE_AFTER_MS, now - PRUNE_AFTER_MS] },
      ],
      'write',
    );
    if (results[2]?.rowsAffected !== 1) return { ok: false, reason: 'invalid-link' };
    await recordAudit(this.#o.db.orm, { actor: staffActor(staffId, name), action: 'staff.signed-in', subject: sessionId, at: now });
    return { ok: true, secret: sessionSecret, sessionId, staffId, expiresAt: now + SESSION_ABSOLUTE_MS };
  }
}

function signInEmail(locale: Locale, name: string, link: string): { subject: string; text: string; html: string } {
  const copy =
    locale === 'sw'
      ? {
          subject: 'Kiungo chako cha kuingia kwenye dashibodi ya IMLU',
          greeting: `Habari ${name},`,
          intro: 'Fungua kiungo hiki ili uingie kwenye dashibodi ya kampeni za IMLU. Kinafanya kazi mara moja tu, kwa dakika 15:',
          next: 'Kisha utaombwa msimbo wa tarakimu 6 kutoka kwenye programu yako ya uthibitishaji.',
          ignore: 'Ikiwa hukuomba kuingia, puuza barua pepe hii: hakuna anayeweza kuingia kwa kiungo hiki peke yake. Ikiendelea kutokea, mjulishe msimamizi wako.',
        }
      : {
          subject: 'Your sign-in link to the IMLU console',
          greeting: `Hello ${name},`,
          intro: 'Open this link to sign in to the IMLU campaign console. It works once, for 15 minutes:',
          next: 'You will then be asked for the 6-digit code from your authenticator app.',
          ignore: 'If you did not ask to sign in, ignore this e-mail: nobody can sign in with the link alone. If it keeps happening, tell your administrator.',
        };
  const text = `${copy.greeting}\n\n${copy.intro}\n\n${link}\n\n${copy.next}\n\n${copy.ignore}\n`;
  const html =
    `<p>${escapeHtml(copy.greeting)}</p><p>${escapeHtml(copy.intro)}</p>` +
    `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>${escapeHtml(copy.next)}</p><p>${escapeHtml(copy.ignore)}</p>`;
  return { subject: copy.subject, text, html };
}
