/**
 * Rate limits, in two layers.
 *
 * 1. Soft limits (per campaign, per source IP and per e-mail domain or phone-number block), in the spirit of UK Parliament's
 *    e-petitions: by default a source may sign a campaign once a minute and five times in five minutes.
 *    Over the limit a signature is still stored — as `suspect`, decided in SQL by the intake trigger
 *    (`src/db/sql/triggers/signature_intake_insert.sql`) — but never counted and never sent a message,
 *    and the answer is the same as for any other signature, so a flooder learns nothing. Sources and domains are only ever stored as keyed
 *    HMACs, per campaign.
 * 2. A hard limit per source IP across the whole API (default 300 signing requests a minute): beyond it,
 *    429 `rate-limited` with `Retry-After`, answered from memory before any body parsing or database work.
 *    It exists to keep a flood from costing database writes; it is deliberately loose because many Kenyan
 *    mobile users share a carrier-grade NAT address.
 *
 * The source IP is the socket's peer address, or with TRUST_PROXY the last `X-Forwarded-For` entry (the
 * one the reverse proxy in front of us appended). Loopback sources are exempt outside production, so the
 * demo, the end-to-end tests and the benchmark — which sign many times from 127.0.0.1 — are not flagged.
 */
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import type { AppBindings, Services } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import type { RateLimits } from '../signing/writer.ts';

export interface RateLimitConfig {
  soft: RateLimits;
  /** Signing requests per source IP per minute before 429; null = off. */
  hardPerMinute: number | null;
  /** Take the source from the last X-Forwarded-For entry (behind exactly one reverse proxy). */
  trustProxy: boolean;
  /** Do not limit loopback sources (development: the demo and tests sign from 127.0.0.1). */
  exemptLoopback: boolean;
  /** E-mail domains too big to limit: thousands of real signers share them. */
  domainAllowlist: readonly string[];
  /**
   * Apply the domain limits to blocks of 10,000 phone numbers for phone-only signatures (sequential-number
   * floods, SMS pumping). Off by default until measured against real Kenyan traffic.
   */
  phoneBlocks: boolean;
  /**
   * Minimum time from a signer's first interaction with the form to its submission (the widget sends
   * `elapsedMs`; the hosted page's form token carries when it was issued). Faster is stored as suspect,
   * silently: people do not fill a name, a contact and a consent box in under two seconds. 0 = off.
   */
  minFillMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  soft: {
    ipBurst: 1,
    ipBurstMs: 60_000,
    ipWindow: 5,
    ipWindowMs: 5 * 60_000,
    domainBurst: 20,
    domainBurstMs: 60_000,
    domainWindow: 100,
    domainWindowMs: 5 * 60_000,
  },
  hardPerMinute: 300,
  minFillMs: 2000,
  trustProxy: false,
  exemptLoopback: false,
  phoneBlocks: false,
  domainAllowlist: ['gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'proton.me', 'protonmail.com'],
};

const LOOPBACK = /^(?:127\.|::1$|::ffff:127\.)/;

/** The source IP of a request, or undefined when it cannot be known (e.g. `app.request` in tests). */
export function sourceIp(c: { env: unknown; req: { header(name: string): string | undefined } }, config: RateLimitConfig): string | undefined {
  if (config.trustProxy) {
    const forwarded = c.req.header('X-Forwarded-For');
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
}

/**
 * The source of a request as the limits see it: `ip` to limit by (undefined when unknown or exempt), and
 * `exempt` when it is loopback and loopback is exempt (outside production: the demo, tests, bench).
 */
export function requestSource(c: Parameters<typeof sourceIp>[0], config: RateLimitConfig): { ip: string | undefined; exempt: boolean } {
  const ip = sourceIp(c, config);
  const exempt = !!ip && config.exemptLoopback && LOOPBACK.test(ip);
  return { ip: exempt ? undefined : ip, exempt };
}

/** The source to limit by, or undefined when unknown or exempt. */
export function limitedSource(c: Parameters<typeof sourceIp>[0], config: RateLimitConfig): string | undefined {
  return requestSource(c, config).ip;
}

/**
 * Fixed windows (one minute unless told otherwise) per key, in memory (per API node). Keys are HMACs of
 * the IP, so even this process's memory holds no address list. The map is dropped at every window change,
 * which bounds it.
 */
export class HardLimiter {
  readonly #limit: number;
  readonly #now: () => number;
  readonly #windowMs: number;
  #window = -1;
  #hits = new Map<string, number>();

  constructor(limit: number, now: () => number, windowMs = 60_000) {
    this.#limit = limit;
    this.#now = now;
    this.#windowMs = windowMs;
  }

  /** Counts one request; returns the seconds to wait when over the limit. */
  hit(key: string): number | undefined {
    const now = this.#now();
    const window = Math.floor(now / this.#windowMs);
    if (window !== this.#window) {
      this.#window = window;
      this.#hits = new Map();
    }
    const hits = (this.#hits.get(key) ?? 0) + 1;
    this.#hits.set(key, hits);
    if (hits <= this.#limit) return undefined;
    return Math.max(1, Math.ceil(((window + 1) * this.#windowMs - now) / 1000));
  }
}

/**
 * 429 `rate-limited` with `Retry-After`, before any body parsing or database work, when a source exceeds
 * the limiter `pick` returns (none: no limit). `scope` keys each limiter's sources apart, so two routes with
 * limiters of their own never share a count.
 */
export function perSourceLimit(scope: string, pick: (services: Services) => HardLimiter | undefined): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const services = c.get('services');
    const { rateLimits, crypto } = services;
    const limiter = pick(services);
    const ip = limiter ? limitedSource(c, rateLimits) : undefined;
    if (ip && limiter) {
      const retryAfter = limiter.hit(crypto.blindIndex('source-ip', scope, ip).toString('base64'));
      if (retryAfter !== undefined) throw new ProblemError('rate-limited', { headers: { 'Retry-After': String(retryAfter) } });
    }
    await next();
  };
}

/** The signing routes' hard limit (`hardPerMinute`). */
export const hardRateLimit = perSourceLimit('hard-limit', (services) => services.hardLimiter);

/**
 * Keyed, per-campaign hashes for the soft limits: the source IP, and the contact group — the e-mail
 * domain, or for a phone-only signature its block of 10,000 numbers (E.164 without the last 4 digits).
 * Real signers spread over thousands of blocks; a flood of sequential numbers lands in one.
 */
export function sourceHashes(
  crypto: { blindIndex(purpose: 'source-ip' | 'email-domain' | 'phone-block', campaignId: string, value: string): Buffer },
  campaignId: string,
  ip: string | undefined,
  email: string | undefined,
  phone: string | undefined,
  config: RateLimitConfig,
): { sourceHash: Buffer | null; domainHash: Buffer | null } {
  const domain = email?.split('@').pop()?.toLowerCase();
  // With a limit off, nothing is hashed or stored for it, and the trigger skips its COUNTs.
  const ipLimited = config.soft.ipBurst !== null || config.soft.ipWindow !== null;
  const domainLimited = config.soft.domainBurst !== null || config.soft.domainWindow !== null;
  let domainHash: Buffer | null = null;
  if (domainLimited && domain) {
    if (!config.domainAllowlist.includes(domain)) domainHash = crypto.blindIndex('email-domain', campaignId, domain);
  } else if (domainLimited && config.phoneBlocks && phone && phone.length > 8) {
    domainHash = crypto.blindIndex('phone-block', campaignId, phone.slice(0, -4));
  }
  return { sourceHash: ip && ipLimited ? crypto.blindIndex('source-ip', campaignId, ip) : null, domainHash };
}
