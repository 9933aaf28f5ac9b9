/**
 * Console sessions. The cookie `__Host-imlu_console` carries 32 random bytes; the server keeps only their
 * SHA-256, so a copy of the database holds no usable session. A session ends when it is idle for 30
 * minutes, 12 hours after sign-in whatever happens, at sign-out, or at "sign out everywhere"; after any of
 * these the cookie is refused, wherever it was copied to.
 *
 * CSRF: every change a session makes carries `X-CSRF-Token`, an HMAC of the session's secret under a key
 * derived from the blind-index key. It is tied to the session (another session's token does not fit),
 * needs no storage, and a cross-site page can neither read it (the session answer is same-origin JSON) nor
 * compute it (the cookie is HttpOnly). Beside it, `sameOrigin` checks Origin and Sec-Fetch-Site.
 */
import { createHash, createHmac, hkdfSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Client } from '@libsql/client';
import { staffActor, type Actor } from '../auth/actor.ts';
import type { Scope } from '../auth/scopes.ts';
import { isRole, scopesOf, type Role } from './roles.ts';

export const SESSION_COOKIE = '__Host-imlu_console';
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** last_seen_at is written at most this often per session, so reads do not each become a write. */
const TOUCH_RESOLUTION_MS = 60_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface StaffSession {
  sessionId: string;
  staffId: string;
  name: string;
  role: Role;
  scopes: ReadonlySet<Scope>;
  actor: Actor;
  createdAt: number;
  expiresAt: number;
}

export function deriveCsrfKey(blindIndexKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', blindIndexKey, Buffer.alloc(0), 'imlu:console-csrf:v1', 32));
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A new random secret for a cookie or a sign-in link (256 bits, base64url). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class StaffSessions {
  readonly #client: Client;
  readonly #csrfKey: Buffer;
  readonly #clock: () => number;

  constructor(client: Client, csrfKey: Buffer, clock: () => number) {
    this.#client = client;
    this.#csrfKey = csrfKey;
    this.#clock = clock;
  }

  /** The statement that opens a session for `staffId` with the cookie secret `secret` (run in the caller's batch). */
  insertStatement(secret: string, staffId: string, now: number, condition?: { sql: string; args: (string | number)[] }) {
    const id = randomUUID();
    const where = condition ? ` WHERE ${condition.sql}` : '';
    return {
      id,
      statement: {
        sql: `INSERT INTO staff_sessions (id, staff_id, token_hash, created_at, last_seen_at, expires_at) SELECT ?, ?, ?, ?, ?, ?${where}`,
        args: [id, staffId, hashSecret(secret), now, now, now + SESSION_ABSOLUTE_MS, ...(condition?.args ?? [])],
      },
    };
  }

  /** The live session of a cookie value, or undefined (unknown, revoked, idle too long, past its 12 hours). */
  async authenticate(secret: string | undefined): Promise<StaffSession | undefined> {
    if (!secret || !TOKEN_PATTERN.test(secret)) return undefined;
    const now = this.#clock();
    const result = await this.#client.execute({
      sql:
        'SELECT s.id, s.staff_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, t.name, t.role ' +
        'FROM staff_sessions s JOIN staff t ON t.id = s.staff_id WHERE s.token_hash = ?',
      args: [hashSecret(secret)],
    });
    const row = result.rows[0];
    if (!row) return undefined;
    const [id, staffId, createdAt, lastSeenAt, expiresAt, revokedAt, name, role] = [
      String(row[0]), String(row[1]), Number(row[2]), Number(row[3]), Number(row[4]), row[5], String(row[6]), row[7],
    ];
    if (revokedAt !== null || now >= expiresAt || now >= lastSeenAt + SESSION_IDLE_MS || !isRole(role)) return undefined;
    if (now - lastSeenAt >= TOUCH_RESOLUTION_MS) {
      await this.#client.execute({ sql: 'UPDATE staff_sessions SET last_seen_at = ? WHERE id = ? AND revoked_at IS NULL', args: [now, id] });
    }
    return { sessionId: id, staffId, name, role, scopes: scopesOf(role), actor: staffActor(staffId, name), createdAt, expiresAt };
  }

  csrfToken(secret: string): string {
    return createHmac('sha256', this.#csrfKey).update(secret, 'utf8').digest('base64url');
  }

  checkCsrf(secret: string, header: string | undefined): boolean {
    if (!header) return false;
    const expected = Buffer.from(this.csrfToken(secret));
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Ends one session. True when it was live. */
  async revoke(sessionId: string): Promise<boolean> {
    const result = await this.#client.execute({
      sql: 'UPDATE staff_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      args: [this.#clock(), sessionId],
    });
    return result.rowsAffected > 0;
  }

  /** Ends every session of a staff member; the number ended. */
  async revokeAll(staffId: string): Promise<number> {
    const result = await this.#client.execute({
      sql: 'UPDATE staff_sessions SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL',
      args: [this.#clock(), staffId],
    });
    return result.rowsAffected;
  }

  /** Live sessions of a staff member (or of everyone), newest first: ids and times only. */
  async list(staffId?: string): Promise<{ id: string; staffId: string; createdAt: number; lastSeenAt: number; expiresAt: number }[]> {
    const now = this.#clock();
    const result = await this.#client.execute({
      sql:
        'SELECT id, staff_id, created_at, last_seen_at, expires_at FROM staff_sessions ' +
        `WHERE revoked_at IS NULL AND expires_at > ? AND last_seen_at > ?${staffId ? ' AND staff_id = ?' : ''} ORDER BY created_at DESC`,
      args: staffId ? [now, now - SESSION_IDLE_MS, staffId] : [now, now - SESSION_IDLE_MS],
    });
    return result.rows.map((r) => ({ id: String(r[0]), staffId: String(r[1]), createdAt: Number(r[2]), lastSeenAt: Number(r[3]), expiresAt: Number(r[4]) }));
  }
}

/** The cookie that carries a session: host-only (`__Host-`), never readable by script, never sent cross-site. */
export function sessionCookie(secret: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${secret}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

/** The session cookie's value in a `Cookie` header, if any. */
export function sessionSecretOf(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * True when a browser says the request comes from this origin: `Sec-Fetch-Site`, where sent, must be
 * `same-origin`, and `Origin` must be present and one of `origins`. A request with neither is refused: every
 * browser this console supports sends Origin on a POST, and a script without a browser has no cookie jar to
 * abuse.
 */
export function sameOrigin(headers: { origin: string | undefined; secFetchSite: string | undefined }, origins: readonly string[]): boolean {
  if (headers.secFetchSite !== undefined && headers.secFetchSite !== 'same-origin') return false;
  return headers.origin !== undefined && origins.includes(headers.origin);
}
