/**
 * Start-up configuration: one zod schema parses `process.env` once. An invalid value stops the process
 * with a message that names the variable; nothing else in the API reads `process.env`.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `NODE_ENV` | `development` | `development`, `test` or `production`. Production refuses to start without `ENCRYPTION_KEY` and `BLIND_INDEX_KEY`, has no default `ALLOWED_ORIGINS`, never seeds the demo or serves its partner site, and sends webhooks to public addresses only. Unset = development; with a key in the environment it must be set (refused otherwise). |
 * | `HOST` | `127.0.0.1` | Interface the API (and the demo partner site) listens on. |
 * | `PORT` | `8787` | API port; `0` picks any free port (the actual one is printed). |
 * | `DATA_DIR` | `<repo root>/.data` | Directory for the default database file and generated keys; kept 0700 (an existing one is tightened at start, data-dir.ts), database files 0600. |
 * | `DATABASE_URL` | `file:<DATA_DIR>/imlu.db` | libSQL URL: `file:` for the embedded database, or `libsql:`, `http(s):`, `ws(s):` for sqld / Turso. |
 * | `DATABASE_AUTH_TOKEN` | — | Auth token for a remote libSQL server. |
 * | `ENCRYPTION_KEY` | generated outside production | 32 random bytes in base64 only (hex is refused). AES-256-GCM key for names, e-mails, phones and comments at rest. |
 * | `BLIND_INDEX_KEY` | generated outside production | 32 random bytes in base64 only, different from `ENCRYPTION_KEY`. HMAC-SHA256 key of the dedupe and idempotency indexes. |
 * | `ENCRYPTION_KEY_PREVIOUS` | — | The encryption key being replaced, while `imlu keys rotate` re-encrypts under a new `ENCRYPTION_KEY`: it only decrypts. Unset it once `imlu keys status` says it is no longer needed. |
 * | `ALLOWED_ORIGINS` | `http://localhost:8788,http://127.0.0.1:8788` outside production, none in production | Comma-separated origins (`scheme://host[:port]`) of partner sites allowed to POST signatures from a browser. Requests without an `Origin` header (servers, curl) may always POST. The demo adds its own partner-site origin. |
 * | `DEMO_PORT` | `8788` | Port of the demo partner site started by `pnpm --filter @imlu/api start` outside production; `0` picks any free port. |
 * | `COUNTS_MAX_AGE` | `10` | Seconds a browser or CDN may cache `GET …/counts` (`Cache-Control: max-age`). |
 * | `COUNTS_REPLICA_SYNC_MS` | `0` (off) | With a remote `DATABASE_URL` only: the counts snapshot reads an embedded replica of the database kept in `<DATA_DIR>/counts-replica.db` (a full copy, 0600), synced every this many milliseconds (50–60000), instead of asking the server every second. Writes always go to `DATABASE_URL`. |
 * | `LOG_LEVEL` | `info` | `debug`, `info`, `warn`, `error` or `silent`. |
 * | `SMTP_URL` | — | `smtp://[user:pass@]host[:port]` (STARTTLS when offered) or `smtps://…` for confirmation e-mails. Unset: outside production e-mails are printed to the console; in production they wait in the outbox. |
 * | `MAIL_FROM` | `IMLU Campaigns <no-reply@localhost>` | From header of confirmation e-mails. |
 * | `STAFF_EMAIL` | — | The campaign staff's address: a milestone that names a step (deliver the pack, ask for a response) prompts it by e-mail when reached, and a flood alert goes to it once per episode. Unset: no prompts (the board still shows the step as due). |
 * | `RECONCILE_EVERY_MINUTES` | `60`; `0` (off) with `NODE_ENV=test` | How often the server compares the running totals with the signatures (at start, then every this many minutes, 1–10080); the last result is at `GET /admin/system/reconciliation`. `0` = off. |
 * | `SMS_PROVIDER` | `console` outside production, none in production | `africastalking` sends confirmation SMS through Africa's Talking; `console` prints them (development); `none` leaves them queued. |
 * | `AT_USERNAME` / `AT_API_KEY` | — | Africa's Talking account name and API key (required with `SMS_PROVIDER=africastalking`; use `sandbox` to test). |
 * | `AT_SENDER_ID` | — | Registered sender id or short code; unset = the account's default. |
 * | `AT_BASE_URL` | `https://api.africastalking.com` | `https://api.sandbox.africastalking.com` for the sandbox. |
 * | `TRUST_PROXY` | `false` | `true` behind exactly one reverse proxy: the source IP is the last `X-Forwarded-For` entry. |
 * | `RATE_LIMIT_IP_PER_MINUTE` / `RATE_LIMIT_IP_PER_5_MINUTES` | `1` / `5` | Signatures per source IP per campaign before further ones are stored as suspect (never counted); `0` = off. |
 * | `RATE_LIMIT_DOMAIN_PER_MINUTE` / `RATE_LIMIT_DOMAIN_PER_5_MINUTES` | `20` / `100` | The same per e-mail domain (big webmail domains exempt); `0` = off. |
 * | `RATE_LIMIT_PHONE_BLOCKS` | `false` | `true` applies the domain limits to blocks of 10,000 phone numbers for phone-only signatures (sequential-number floods). |
 * | `MIN_FILL_MS` | `2000` | A signature sent sooner than this after the signer first touched the form (widget) or after the hosted form was served is stored as suspect, silently; `0` = off. |
 * | `ALTCHA_MAX_NUMBER` | `50000` | Difficulty of the proof of work for campaigns with `challenge: altcha` (average work: half as many SHA-256 hashes). |
 * | `RATE_LIMIT_HARD_PER_MINUTE` | `300` | Signing requests per source IP per minute (whole API) before 429 with `Retry-After`; `0` = off. |
 * | `ADMIN_TOKEN` | — | Bootstrap bearer token (≥ 32 characters) with every admin scope, next to the named tokens made with `imlu token create`; use it to create those, then unset it. Unset = only stored tokens work. |
 * | `PUBLIC_BASE_URL` | the API's own URL | Base URL signers reach this API at, for links in e-mails and SMS (e.g. `https://api.imlu.org`). |
 *
 * Keys are never logged. Outside production, a missing key is generated once into `<DATA_DIR>/keys.json`
 * (mode 0600) and the server says so; losing that file makes every stored contact unreadable and breaks
 * duplicate detection, so back it up with the database — but never in the same place as a database dump.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The monorepo root, three levels above this file (`api/src/config/env.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const DEV_ALLOWED_ORIGINS = ['http://localhost:8788', 'http://127.0.0.1:8788'];
const DATABASE_SCHEMES = ['file:', 'libsql:', 'http:', 'https:', 'ws:', 'wss:'];
const KEY_BYTES = 32;

/** An empty variable counts as unset, which is what a blank line in a `.env` file means. */
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const port = (fallback: number) =>
  optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: 'must be a whole number from 0 to 65535' })
      .int('must be a whole number from 0 to 65535')
      .min(0, 'must be a whole number from 0 to 65535')
      .max(65535, 'must be a whole number from 0 to 65535')
      .default(fallback),
  );

/** A whole number ≥ 0 (0 turns a limit off). */
const count = (fallback: number) =>
  optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: 'must be a whole number (0 = off)' })
      .int('must be a whole number (0 = off)')
      .min(0, 'must be a whole number (0 = off)')
      .max(1_000_000, 'must be at most 1000000')
      .default(fallback),
  );

/**
 * 32 bytes in base64 (standard or URL-safe alphabet, padding optional), and nothing else: a hex key of
 * the same strength is refused rather than guessed at, since decoding it as base64 would give other bytes.
 * The message never quotes the value, not even in part.
 */
const key = optionalString.pipe(
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const bytes = /^[A-Za-z0-9+/_-]{43}=?$/.test(value) ? Buffer.from(value, 'base64') : undefined;
      if (bytes?.length === KEY_BYTES) return bytes;
      const hex = /^[0-9a-fA-F]+$/.test(value);
      ctx.addIssue({
        code: 'custom',
        message:
          `must be ${KEY_BYTES} random bytes in base64 (44 characters, e.g. from \`openssl rand -base64 32\`)` +
          (hex ? '; this value looks like hex, which is not accepted (convert it with `xxd -r -p | base64`)' : ''),
      });
      return z.NEVER;
    }),
);

/** A browser origin exactly as the `Origin` header carries it: scheme, host, optional port, no path. */
function parseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin === value.replace(/\/$/, '') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

const EnvSchema = z
  .object({
    // No default here: whether NODE_ENV was given at all matters below; unset means development.
    NODE_ENV: optionalString.pipe(z.enum(NODE_ENVS, { error: `must be one of ${NODE_ENVS.join(', ')}` }).optional()),
    HOST: optionalString.pipe(z.string().default('127.0.0.1')),
    PORT: port(8787),
    DATA_DIR: optionalString,
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .refine(
          (url) => DATABASE_SCHEMES.some((scheme) => url.startsWith(scheme)),
          `must start with one of ${DATABASE_SCHEMES.join(' ')}`,
        )
        .optional(),
    ),
    DATABASE_AUTH_TOKEN: optionalString,
    ENCRYPTION_KEY: key,
    BLIND_INDEX_KEY: key,
    ENCRYPTION_KEY_PREVIOUS: key,
    ALLOWED_ORIGINS: optionalString.pipe(
      z
        .string()
        .transform((list, ctx) => {
          const origins: string[] = [];
          for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
            const origin = parseOrigin(item);
            // The value is an origin, not personal data, so naming it helps the operator fix a typo.
            if (!origin) ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin like https://example.org` });
            else origins.push(origin);
          }
          return origins;
        })
        .optional(),
    ),
    DEMO_PORT: port(8788),
    COUNTS_MAX_AGE: optionalString.pipe(
      z.coerce.number<string | undefined>({ error: 'must be a whole number of seconds' }).int('must be a whole number of seconds').min(0).max(86_400).default(10),
    ),
    RECONCILE_EVERY_MINUTES: optionalString.pipe(
      z.coerce
        .number<string | undefined>({ error: 'must be a whole number of minutes (0 = off)' })
        .int('must be a whole number of minutes (0 = off)')
        .min(0, 'must be a whole number of minutes (0 = off)')
        .max(10_080, 'must be at most 10080 (a week)')
        .optional(),
    ),
    COUNTS_REPLICA_SYNC_MS: count(0).refine((ms) => ms === 0 || (ms >= 50 && ms <= 60_000), 'must be 0 (off) or from 50 to 60000 milliseconds'),
    LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info')),
    // The URL may hold a password: the message never quotes the value.
    SMTP_URL: optionalString.pipe(
      z
        .string()
        .refine((url) => /^smtps?:\/\/[^/\s]+\/?$/.test(url) && URL.canParse(url), 'must be smtp://[user:pass@]host[:port] or smtps://…')
        .optional(),
    ),
    SMS_PROVIDER: optionalString.pipe(z.enum(['none', 'console', 'africastalking'], { error: 'must be none, console or africastalking' }).optional()),
    AT_USERNAME: optionalString,
    AT_API_KEY: optionalString,
    AT_SENDER_ID: optionalString.pipe(z.string().max(11, 'must be at most 11 characters').optional()),
    AT_BASE_URL: optionalString.pipe(
      z
        .string()
        .refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), 'must be an http(s) URL')
        .default('https://api.africastalking.com'),
    ),
    TRUST_PROXY: optionalString.pipe(z.enum(['true', 'false'], { error: 'must be true or false' }).default('false')),
    RATE_LIMIT_IP_PER_MINUTE: count(1),
    RATE_LIMIT_IP_PER_5_MINUTES: count(5),
    RATE_LIMIT_DOMAIN_PER_MINUTE: count(20),
    RATE_LIMIT_DOMAIN_PER_5_MINUTES: count(100),
    RATE_LIMIT_HARD_PER_MINUTE: count(300),
    MIN_FILL_MS: count(2000),
    ALTCHA_MAX_NUMBER: count(50_000).pipe(z.number().min(1000, 'must be at least 1000')),
    RATE_LIMIT_PHONE_BLOCKS: optionalString.pipe(z.enum(['true', 'false'], { error: 'must be true or false' }).default('false')),
    ADMIN_TOKEN: optionalString.pipe(z.string().min(32, 'must be at least 32 characters, e.g. `openssl rand -base64 32`').optional()),
    MAIL_FROM: optionalString.pipe(z.string().max(200).default('IMLU Campaigns <no-reply@localhost>')),
    STAFF_EMAIL: optionalString.pipe(z.email('must be an e-mail address').max(200).optional()),
    PUBLIC_BASE_URL: optionalString.pipe(
      z
        .string()
        .refine(
          (url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol) && !new URL(url).search && !new URL(url).hash,
          'must be an http(s) URL without query or fragment, e.g. https://api.imlu.org',
        )
        .transform((url) => url.replace(/\/+$/, ''))
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    // zod runs this even when a field above failed, with that field's raw value: only compare real keys.
    if (Buffer.isBuffer(env.ENCRYPTION_KEY) && Buffer.isBuffer(env.BLIND_INDEX_KEY) && env.ENCRYPTION_KEY.equals(env.BLIND_INDEX_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['BLIND_INDEX_KEY'], message: 'must differ from ENCRYPTION_KEY' });
    }
    if (env.SMS_PROVIDER === 'africastalking') {
      for (const name of ['AT_USERNAME', 'AT_API_KEY'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required with SMS_PROVIDER=africastalking' });
      }
    }
    // Keys in the environment mean a deployment; unset NODE_ENV would quietly make it development (loopback
    // exempt from every rate limit, messages and a duty bearer's response link printed, demo data). The
    // demo's own keys live in DATA_DIR/keys.json, not the environment, so `pnpm start` is not affected.
    if (env.NODE_ENV === undefined && (env.ENCRYPTION_KEY !== undefined || env.BLIND_INDEX_KEY !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['NODE_ENV'],
        message:
          'must be set when ENCRYPTION_KEY or BLIND_INDEX_KEY is: production for a deployment, development or test ' +
          'otherwise (unset means development, with demo data, no rate limits for loopback and messages printed)',
      });
    }
    // An embedded database is read on this machine already; a replica of it would be a second copy for nothing.
    if (typeof env.COUNTS_REPLICA_SYNC_MS === 'number' && env.COUNTS_REPLICA_SYNC_MS > 0 && (env.DATABASE_URL === undefined || env.DATABASE_URL.startsWith('file:'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['COUNTS_REPLICA_SYNC_MS'],
        message: 'needs a remote DATABASE_URL (libsql:, http(s):, ws(s):): an embedded database is read locally already',
      });
    }
    if (env.NODE_ENV === 'production') {
      for (const name of ['ENCRYPTION_KEY', 'BLIND_INDEX_KEY'] as const) {
        if (!env[name]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'is required in production (32 random bytes, base64; generate with `openssl rand -base64 32`)',
          });
        }
      }
    }
  });

/** Configuration after parsing, before keys are resolved (they may still have to be generated). */
export interface EnvConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  /** Keys given in the environment; missing ones are generated by `resolveKeys` outside production. */
  encryptionKey: Buffer | undefined;
  blindIndexKey: Buffer | undefined;
  /** The encryption key being rotated away from (`ENCRYPTION_KEY_PREVIOUS`); it only decrypts. */
  encryptionKeyPrevious: Buffer | undefined;
  allowedOrigins: string[];
  demoPort: number;
  countsMaxAge: number;
  /** Milliseconds between syncs of the counts replica (db/replica.ts); 0 = no replica, counts read from the database. */
  countsReplicaSyncMs: number;
  /** Minutes between scheduled reconciliations of the counts (moderation/reconciliation.ts); 0 = off. */
  reconcileEveryMinutes: number;
  logLevel: LogLevel;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** `STAFF_EMAIL`: where milestone steps prompt the staff. */
  staffEmail: string | undefined;
  smsProvider: 'none' | 'console' | 'africastalking';
  trustProxy: boolean;
  adminToken: string | undefined;
  /** Per-minute and per-5-minute soft limits per IP and per domain, and the hard limit; 0 = off. */
  rateLimits: {
    ipPerMinute: number;
    ipPer5Minutes: number;
    domainPerMinute: number;
    domainPer5Minutes: number;
    hardPerMinute: number;
    phoneBlocks: boolean;
    /** Minimum fill time in ms; faster signatures are stored as suspect. 0 = off. */
    minFillMs: number;
  };
  /** ALTCHA difficulty: the largest secret number (work is half of it on average). */
  altchaMaxNumber: number;
  africasTalking: { username: string; apiKey: string; senderId: string | undefined; baseUrl: string } | undefined;
  /** Undefined: the API's own URL. */
  publicBaseUrl: string | undefined;
}

/** Thrown for an invalid environment. Its message names every offending variable, never a key's value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable} ${p.message}`).join('\n')}`);
  }
}

export function parseEnv(env: Record<string, string | undefined> = process.env): EnvConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'environment'), message: issue.message })),
    );
  }
  const parsed = result.data;
  const nodeEnv = parsed.NODE_ENV ?? 'development';
  const dataDir = path.resolve(parsed.DATA_DIR ?? path.join(REPO_ROOT, '.data'));
  return {
    nodeEnv,
    host: parsed.HOST,
    port: parsed.PORT,
    dataDir,
    databaseUrl: parsed.DATABASE_URL ?? `file:${path.join(dataDir, 'imlu.db')}`,
    databaseAuthToken: parsed.DATABASE_AUTH_TOKEN,
    encryptionKey: parsed.ENCRYPTION_KEY,
    blindIndexKey: parsed.BLIND_INDEX_KEY,
    encryptionKeyPrevious: parsed.ENCRYPTION_KEY_PREVIOUS,
    allowedOrigins: parsed.ALLOWED_ORIGINS ?? (nodeEnv === 'production' ? [] : [...DEV_ALLOWED_ORIGINS]),
    demoPort: parsed.DEMO_PORT,
    countsMaxAge: parsed.COUNTS_MAX_AGE,
    countsReplicaSyncMs: parsed.COUNTS_REPLICA_SYNC_MS,
    // Tests start servers by the dozen: a scheduled full read of the signatures in each is noise there.
    reconcileEveryMinutes: parsed.RECONCILE_EVERY_MINUTES ?? (nodeEnv === 'test' ? 0 : 60),
    logLevel: parsed.LOG_LEVEL,
    smtpUrl: parsed.SMTP_URL,
    mailFrom: parsed.MAIL_FROM,
    staffEmail: parsed.STAFF_EMAIL,
    trustProxy: parsed.TRUST_PROXY === 'true',
    adminToken: parsed.ADMIN_TOKEN,
    rateLimits: {
      ipPerMinute: parsed.RATE_LIMIT_IP_PER_MINUTE,
      ipPer5Minutes: parsed.RATE_LIMIT_IP_PER_5_MINUTES,
      domainPerMinute: parsed.RATE_LIMIT_DOMAIN_PER_MINUTE,
      domainPer5Minutes: parsed.RATE_LIMIT_DOMAIN_PER_5_MINUTES,
      hardPerMinute: parsed.RATE_LIMIT_HARD_PER_MINUTE,
      phoneBlocks: parsed.RATE_LIMIT_PHONE_BLOCKS === 'true',
      minFillMs: parsed.MIN_FILL_MS,
    },
    altchaMaxNumber: parsed.ALTCHA_MAX_NUMBER,
    smsProvider: parsed.SMS_PROVIDER ?? (nodeEnv === 'production' ? 'none' : 'console'),
    africasTalking:
      parsed.AT_USERNAME && parsed.AT_API_KEY
        ? { username: parsed.AT_USERNAME, apiKey: parsed.AT_API_KEY, senderId: parsed.AT_SENDER_ID, baseUrl: parsed.AT_BASE_URL }
        : undefined,
    publicBaseUrl: parsed.PUBLIC_BASE_URL,
  };
}
