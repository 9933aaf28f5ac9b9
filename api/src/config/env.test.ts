import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseEnv, REPO_ROOT } from './env.ts';
import { resolveKeys } from './keys.ts';

const key = () => randomBytes(32).toString('base64');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'imlu-env-test-'));
  dirs.push(dir);
  return dir;
}

function configError(env: Record<string, string>): ConfigError {
  try {
    parseEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEnv', () => {
  it('has defaults that serve the demo', () => {
    const config = parseEnv({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 8787,
      demoPort: 8788,
      countsMaxAge: 10,
      logLevel: 'info',
      dataDir: path.join(REPO_ROOT, '.data'),
      databaseUrl: `file:${path.join(REPO_ROOT, '.data', 'imlu.db')}`,
      allowedOrigins: ['http://localhost:8788', 'http://127.0.0.1:8788'],
      encryptionKey: undefined,
      smtpUrl: undefined,
      mailFrom: 'IMLU Campaigns <no-reply@localhost>',
      publicBaseUrl: undefined,
      smsProvider: 'console',
      africasTalking: undefined,
    });
  });

  it('reads every variable', () => {
    const encryption = key();
    const config = parseEnv({
      NODE_ENV: 'test',
      HOST: '0.0.0.0',
      PORT: '0',
      DATA_DIR: '/tmp/imlu-data',
      DATABASE_URL: 'libsql://campaigns.example.turso.io',
      DATABASE_AUTH_TOKEN: 'token',
      ENCRYPTION_KEY: encryption,
      BLIND_INDEX_KEY: key(),
      ALLOWED_ORIGINS: 'https://haki.example.org, https://partner.example:8443/',
      DEMO_PORT: '9000',
      COUNTS_MAX_AGE: '30',
      LOG_LEVEL: 'warn',
      SMTP_URL: 'smtps://mailer:s3cret@smtp.example.org:465',
      MAIL_FROM: 'IMLU <haki@imlu.example>',
      PUBLIC_BASE_URL: 'https://api.imlu.example/',
    });
    expect(config).toMatchObject({
      smtpUrl: 'smtps://mailer:s3cret@smtp.example.org:465',
      mailFrom: 'IMLU <haki@imlu.example>',
      publicBaseUrl: 'https://api.imlu.example',
      nodeEnv: 'test',
      host: '0.0.0.0',
      port: 0,
      dataDir: '/tmp/imlu-data',
      databaseUrl: 'libsql://campaigns.example.turso.io',
      databaseAuthToken: 'token',
      allowedOrigins: ['https://haki.example.org', 'https://partner.example:8443'],
      demoPort: 9000,
      countsMaxAge: 30,
      logLevel: 'warn',
    });
    expect(config.encryptionKey?.toString('base64')).toBe(encryption);
    expect(parseEnv({ DATA_DIR: '/tmp/x' }).databaseUrl).toBe('file:/tmp/x/imlu.db');
  });

  it('names the variable of every invalid value, and never prints a key', () => {
    const badKey = 'c2hvcnQ='; // "short"
    const error = configError({
      PORT: 'eighty',
      DEMO_PORT: '70000',
      NODE_ENV: 'staging',
      DATABASE_URL: 'postgres://db',
      ENCRYPTION_KEY: badKey,
      ALLOWED_ORIGINS: 'https://ok.example,not an origin,https://x.example/path',
      COUNTS_MAX_AGE: '-1',
      LOG_LEVEL: 'loud',
      SMTP_URL: 'http://user:hunter2@mail.example',
      PUBLIC_BASE_URL: 'https://api.example/?ref=x',
    });
    expect(error.problems.map((p) => p.variable).sort()).toEqual(
      [
        'ALLOWED_ORIGINS',
        'ALLOWED_ORIGINS',
        'COUNTS_MAX_AGE',
        'DATABASE_URL',
        'DEMO_PORT',
        'ENCRYPTION_KEY',
        'LOG_LEVEL',
        'NODE_ENV',
        'PORT',
        'PUBLIC_BASE_URL',
        'SMTP_URL',
      ].sort(),
    );
    // An SMTP URL can carry a password: it is never quoted back.
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toMatch(/^Invalid configuration:/);
    expect(error.message).toMatch(/\bPORT must be a whole number/);
    expect(error.message).not.toContain(badKey);
  });

  it('configures SMS: Africa\'s Talking needs its username and key; production prints nothing by default', () => {
    expect(configError({ SMS_PROVIDER: 'africastalking' }).problems.map((p) => p.variable).sort()).toEqual(['AT_API_KEY', 'AT_USERNAME']);
    expect(configError({ SMS_PROVIDER: 'pigeon' }).problems.map((p) => p.variable)).toEqual(['SMS_PROVIDER']);
    const at = parseEnv({ SMS_PROVIDER: 'africastalking', AT_USERNAME: 'imlu', AT_API_KEY: 'k', AT_SENDER_ID: 'IMLU' });
    expect(at).toMatchObject({
      smsProvider: 'africastalking',
      africasTalking: { username: 'imlu', apiKey: 'k', senderId: 'IMLU', baseUrl: 'https://api.africastalking.com' },
    });
    const production = parseEnv({ NODE_ENV: 'production', ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key() });
    expect(production.smsProvider).toBe('none');
  });

  it('reads rate limits (0 turns one off) and TRUST_PROXY, with e-petitions-like defaults', () => {
    expect(parseEnv({})).toMatchObject({
      trustProxy: false,
      rateLimits: { ipPerMinute: 1, ipPer5Minutes: 5, domainPerMinute: 20, domainPer5Minutes: 100, hardPerMinute: 300 },
    });
    expect(parseEnv({ TRUST_PROXY: 'true', RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_HARD_PER_MINUTE: '1000' })).toMatchObject({
      trustProxy: true,
      rateLimits: { ipPerMinute: 0, hardPerMinute: 1000 },
    });
    expect(configError({ TRUST_PROXY: 'yes', RATE_LIMIT_IP_PER_5_MINUTES: '-2' }).problems.map((p) => p.variable).sort()).toEqual([
      'RATE_LIMIT_IP_PER_5_MINUTES',
      'TRUST_PROXY',
    ]);
  });

  it('reads COUNTS_REPLICA_SYNC_MS: off by default, a replica only of a remote database, within 50–60000 ms', () => {
    expect(parseEnv({}).countsReplicaSyncMs).toBe(0);
    expect(parseEnv({ DATABASE_URL: 'http://127.0.0.1:8080', COUNTS_REPLICA_SYNC_MS: '250' }).countsReplicaSyncMs).toBe(250);
    expect(parseEnv({ DATABASE_URL: 'libsql://campaigns.example.turso.io', COUNTS_REPLICA_SYNC_MS: '0' }).countsReplicaSyncMs).toBe(0);
    for (const DATABASE_URL of [undefined, 'file:/tmp/imlu.db']) {
      const env = { COUNTS_REPLICA_SYNC_MS: '500', ...(DATABASE_URL ? { DATABASE_URL } : {}) };
      expect(configError(env).message).toMatch(/COUNTS_REPLICA_SYNC_MS needs a remote DATABASE_URL/);
    }
    for (const value of ['10', '60001', 'soon', '1.5']) {
      const error = configError({ DATABASE_URL: 'http://127.0.0.1:8080', COUNTS_REPLICA_SYNC_MS: value });
      expect(error.problems.map((p) => p.variable)).toEqual(['COUNTS_REPLICA_SYNC_MS']);
    }
  });

  it('refuses to start in production without both keys, and with equal keys anywhere', () => {
    const production = configError({ NODE_ENV: 'production' });
    expect(production.problems.map((p) => p.variable)).toEqual(['ENCRYPTION_KEY', 'BLIND_INDEX_KEY']);
    expect(production.message).toMatch(/ENCRYPTION_KEY is required in production/);
    expect(configError({ NODE_ENV: 'production', ENCRYPTION_KEY: key() }).problems.map((p) => p.variable)).toEqual(['BLIND_INDEX_KEY']);
    const same = key();
    expect(configError({ ENCRYPTION_KEY: same, BLIND_INDEX_KEY: same }).message).toMatch(/BLIND_INDEX_KEY must differ/);
    const config = parseEnv({ NODE_ENV: 'production', ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key() });
    expect(config.allowedOrigins).toEqual([]); // no demo origins in production
  });

  it('refuses keys in the environment while NODE_ENV is unset: that would quietly be development', () => {
    const given: Record<string, string>[] = [{ ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key() }, { ENCRYPTION_KEY: key() }, { BLIND_INDEX_KEY: key() }];
    for (const keys of given) {
      const error = configError(keys);
      expect(error.problems.map((p) => p.variable)).toEqual(['NODE_ENV']);
      expect(error.message).toMatch(/NODE_ENV must be set when ENCRYPTION_KEY or BLIND_INDEX_KEY is: production for a deployment/);
    }
    // Said out loud, any mode may have keys; with no keys at all, unset is the demo's development.
    for (const mode of ['development', 'test', 'production']) expect(parseEnv({ NODE_ENV: mode, ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key() }).nodeEnv).toBe(mode);
    expect(parseEnv({ NODE_ENV: '' }).nodeEnv).toBe('development');
  });

  it('accepts only 32 bytes in base64 for a key; anything else is named, with no part of the value', () => {
    const hex = randomBytes(32).toString('hex');
    const hexError = configError({ NODE_ENV: 'production', ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: hex });
    expect(hexError.problems).toEqual([{ variable: 'BLIND_INDEX_KEY', message: expect.stringMatching(/^must be 32 random bytes in base64 .*looks like hex/) }]);
    const malformed = ['not a key', `${key().slice(0, 40)}%~~~`, randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), `${key()}==`];
    for (const value of malformed) {
      // Both keys malformed, one of them, with and without production: always a ConfigError naming it.
      for (const env of [{ NODE_ENV: 'production', ENCRYPTION_KEY: value, BLIND_INDEX_KEY: key() }, { NODE_ENV: 'test', ENCRYPTION_KEY: value, BLIND_INDEX_KEY: value }]) {
        const error = configError(env);
        expect(error.problems.map((p) => p.variable).sort(), value).toEqual(env.BLIND_INDEX_KEY === value ? ['BLIND_INDEX_KEY', 'ENCRYPTION_KEY'] : ['ENCRYPTION_KEY']);
        expect(error.message).toMatch(/ENCRYPTION_KEY must be 32 random bytes in base64/);
      }
    }
    for (const value of [hex, ...malformed]) {
      const message = configError({ NODE_ENV: 'test', ENCRYPTION_KEY: value }).message;
      for (let i = 0; i + 6 <= value.length; i++) expect(message).not.toContain(value.slice(i, i + 6));
    }
    // The URL-safe alphabet and a missing pad are the same 32 bytes.
    const bytes = randomBytes(32);
    const urlSafe = parseEnv({ NODE_ENV: 'test', ENCRYPTION_KEY: bytes.toString('base64url') });
    expect(urlSafe.encryptionKey).toEqual(bytes);
  });
});

describe('resolveKeys', () => {
  it('generates missing keys once into DATA_DIR/keys.json (mode 0600) and reuses them', () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = resolveKeys(parseEnv({ DATA_DIR: dataDir }));
    const file = path.join(dataDir, 'keys.json');
    expect(first.generatedFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(Buffer.from(stored.ENCRYPTION_KEY, 'base64')).toEqual(first.encryptionKey);

    const second = resolveKeys(parseEnv({ DATA_DIR: dataDir }));
    expect(second.generatedFile).toBeUndefined();
    expect(second.encryptionKey).toEqual(first.encryptionKey);
    expect(second.blindIndexKey).toEqual(first.blindIndexKey);
    expect(first.encryptionKey.equals(first.blindIndexKey)).toBe(false);
  });

  it('prefers keys from the environment and writes nothing when both are given', () => {
    const dataDir = tempDir();
    const env = { NODE_ENV: 'development', DATA_DIR: dataDir, ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key() };
    const keys = resolveKeys(parseEnv(env));
    expect(keys.generatedFile).toBeUndefined();
    expect(keys.encryptionKey.toString('base64')).toBe(env.ENCRYPTION_KEY);
    expect(() => statSync(path.join(dataDir, 'keys.json'))).toThrow();
  });
});
