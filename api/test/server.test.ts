/**
 * End to end over real sockets: `startServer` in-process (as the benchmark uses it), and `src/main.ts` as
 * a child process (as `pnpm start` runs it), including start-up refusals and a clean SIGTERM.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CampaignSchema } from '@imlu/contracts';
import { parseEnv } from '../src/config/env.ts';
import { createCampaign } from '../src/campaigns/create.ts';
import { DEMO_CAMPAIGN } from '../src/campaigns/demo-seed.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { OPEN_CAMPAIGN } from './helpers.ts';
import { Secret, TOTP } from 'otpauth';
import { DEMO_STAFF } from '../src/staff/demo.ts';
import { linkIn, startTestSmtp } from './smtp.ts';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'imlu-server-test-'));
  dirs.push(dir);
  return dir;
}
const key = () => randomBytes(32).toString('base64');

describe('startServer', () => {
  it('migrates, seeds the demo once, serves the API and the partner site, and shuts down cleanly', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, PORT: '0', DEMO_PORT: '0', LOG_LEVEL: 'silent' };
    const missingBundle = path.join(dataDir, 'no-such-embed.js');
    const server = await startServer({ config: parseEnv(env), widgetBundle: missingBundle });
    servers.push(server);
    expect(server.seeded).toBe(true);
    // The petition's first paint is rendered on a thread of its own: Lit's server renderer and its DOM shim
    // (which defines `customElements`) never load on the thread that answers HTTP, where loading them held
    // every request for up to 0.6 s after a start (src/widget/first-paint.ts).
    const paint = await fetch(`${server.apiUrl}/v1/campaigns/${DEMO_CAMPAIGN.slug}/first-paint?lang=sw`);
    expect(paint.status).toBe(200);
    expect(await paint.text()).toContain('<form');
    expect('customElements' in globalThis).toBe(false);
    // Development: a response link for a demo duty bearer, to try the response page.
    expect(server.demoResponseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{43}$/);
    expect((await fetch(server.demoResponseUrl!)).status).toBe(200);
    expect(server.smsCallbackUrl).toBeUndefined(); // SMS_PROVIDER is console here
    expect(server.generatedKeysFile).toBe(path.join(dataDir, 'keys.json'));
    expect(statSync(server.generatedKeysFile!).mode & 0o777).toBe(0o600);
    expect(server.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.partnerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.apiUrl).not.toBe(server.partnerUrl);
    const partnerPort = new URL(server.partnerUrl!).port;
    expect(server.allowedOrigins).toEqual(
      expect.arrayContaining([`http://127.0.0.1:${partnerPort}`, `http://localhost:${partnerPort}`, 'http://localhost:8788']),
    );

    expect(await (await fetch(`${server.apiUrl}/ready`)).json()).toMatchObject({ status: 'ready' });
    const campaign = CampaignSchema.parse(await (await fetch(`${server.apiUrl}/v1/campaigns/justice-for-survivors`)).json());
    expect(campaign).toMatchObject({ kind: 'petition', status: 'open', goal: 10000, requiresVerification: false, verification: 'none' });
    expect(campaign.title.sw).toMatch(/manusura/);
    expect(campaign.demands).toHaveLength(4);
    expect(campaign.demands.map((d) => d.position)).toEqual([1, 2, 3, 4]);
    expect(campaign.demands[0]!.text.en).toMatch(/investigations/);
    expect(campaign.demands[3]!.text.sw).toMatch(/wanawake na wasichana/);

    // The partner page points at the API's real origin, and the bundle's absence is explained.
    const page = await (await fetch(server.partnerUrl!)).text();
    expect(page).toContain(`api="${server.apiUrl}"`);
    expect(page).not.toContain('http://localhost:8787');
    const localhostPage = await (await fetch(`http://localhost:${partnerPort}/`).catch(() => fetch(server.partnerUrl!))).text();
    expect(localhostPage).toMatch(/api="http:\/\/(localhost|127\.0\.0\.1):\d+"/);
    expect((await fetch(`${server.partnerUrl}/site.css`)).headers.get('Content-Type')).toMatch(/text\/css/);
    const bundle = await fetch(`${server.partnerUrl}/embed.js`);
    expect(bundle.status).toBe(503);
    expect(await bundle.text()).toContain('pnpm --filter @imlu/widget build');
    writeFileSync(missingBundle, 'customElements;');
    const built = await fetch(`${server.partnerUrl}/embed.js`);
    expect([built.status, built.headers.get('Content-Type'), await built.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'customElements;']);

    // Sign from the partner site's origin, as the widget would.
    const signed = await fetch(`${server.apiUrl}/v1/campaigns/justice-for-survivors/signatures`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.partnerUrl!, 'Idempotency-Key': 'e2e-1' },
      body: JSON.stringify({ name: 'Mwanaisha Juma', phone: '0712 345 678', county: 'KE-28', consent: { terms: true } }),
    });
    expect([signed.status, signed.headers.get('Access-Control-Allow-Origin')]).toEqual([201, server.partnerUrl]);
    // Over a real socket the body has a Content-Length, so the size limit is decided from the header.
    const tooBig = await fetch(`${server.apiUrl}/v1/campaigns/justice-for-survivors/signatures`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x', phone: '0712345678', consent: { terms: true }, comment: 'x'.repeat(20_000) }),
    });
    expect([tooBig.status, ((await tooBig.json()) as { type: string }).type]).toEqual([413, 'urn:imlu:problem:payload-too-large']);
    expect(await (await fetch(`${server.apiUrl}/v1/campaigns/justice-for-survivors/counts`)).json()).toMatchObject({
      signatures: 1,
      byCounty: { 'KE-28': 1 },
    });
    await server.close();
    servers.pop();
    await expect(fetch(`${server.apiUrl}/health`)).rejects.toThrow();

    // A restart on the same data: keys are reused, nothing is seeded twice, the signature is still there.
    const again = await startServer({ config: parseEnv(env), partnerSite: false });
    servers.push(again);
    expect([again.seeded, again.generatedKeysFile, again.partnerUrl]).toEqual([false, undefined, undefined]);
    expect(await (await fetch(`${again.apiUrl}/v1/campaigns/justice-for-survivors/counts`)).json()).toMatchObject({ signatures: 1 });
  });

  it('in production never seeds the demo campaign or its duty bearers, never serves the partner site, never issues a response link', async () => {
    const env = { NODE_ENV: 'production', DATA_DIR: tempDir(), PORT: '0', DEMO_PORT: '0', LOG_LEVEL: 'silent', ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key() };
    // Asking for them changes nothing: the demo's statements are made up and attributed to real offices.
    const server = await startServer({ config: parseEnv(env), seed: true, partnerSite: true });
    servers.push(server);
    expect([server.seeded, server.partnerUrl, server.demoResponseUrl, server.demoStaff]).toEqual([false, undefined, undefined, undefined]);
    for (const table of ['campaigns', 'targets', 'response_links', 'staff']) {
      const rows = await server.db.client.execute(`SELECT COUNT(*) AS n FROM ${table}`);
      expect(Number(rows.rows[0]!.n), table).toBe(0);
    }
    expect((await fetch(`${server.apiUrl}/v1/campaigns/justice-for-survivors`)).status).toBe(404);
    expect(server.allowedOrigins).toEqual([]); // no partner-site origins either
  });

  it('in production refuses webhooks aimed at this machine or its network (no DNS needed for these)', async () => {
    const admin = `admin-${randomBytes(24).toString('hex')}`;
    const env = { NODE_ENV: 'production', DATA_DIR: tempDir(), PORT: '0', LOG_LEVEL: 'silent', ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key(), ADMIN_TOKEN: admin };
    const server = await startServer({ config: parseEnv(env) });
    servers.push(server);
    await createCampaign(server.db, OPEN_CAMPAIGN);
    for (const url of ['https://169.254.169.254/latest/meta-data/', 'https://10.0.0.1/hook', 'https://[::1]/hook', 'http://127.0.0.1:9/hook', 'https://[::ffff:192.168.0.1]/']) {
      const response = await fetch(`${server.apiUrl}/admin/campaigns/${OPEN_CAMPAIGN.slug}/webhooks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin}` },
        body: JSON.stringify({ url }),
      });
      expect([url, response.status]).toEqual([url, 422]);
    }
    expect(Number((await server.db.client.execute('SELECT COUNT(*) AS n FROM webhooks')).rows[0]!.n)).toBe(0);
  });

  it('makes an existing DATA_DIR owner-only (0700), and the database files in it 0600', async () => {
    const dataDir = path.join(tempDir(), 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755); // whatever the umask
    const server = await startServer({ config: parseEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }), partnerSite: false });
    servers.push(server);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dataDir).sort();
    expect(files).toEqual(expect.arrayContaining(['imlu.db', 'imlu.db-wal', 'imlu.db-shm', 'keys.json']));
    for (const file of files) expect([file, statSync(path.join(dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
    // A DATA_DIR that is not a directory stops the start, named.
    const notADir = path.join(tempDir(), 'file');
    writeFileSync(notADir, '');
    await expect(startServer({ config: parseEnv({ DATA_DIR: notADir, PORT: '0' }), partnerSite: false })).rejects.toThrow(/DATA_DIR .* is not a directory/);
  });

  it("with Africa's Talking: gives the delivery-report callback URL, which works over a real socket; a streamed 1 MB report is refused", async () => {
    const env = {
      DATA_DIR: tempDir(),
      PORT: '0',
      LOG_LEVEL: 'silent',
      SMS_PROVIDER: 'africastalking',
      AT_USERNAME: 'sandbox',
      AT_API_KEY: 'atsk_test_key',
      AT_BASE_URL: 'http://127.0.0.1:9',
      PUBLIC_BASE_URL: 'https://sign.imlu.example',
    };
    const server = await startServer({ config: parseEnv(env), partnerSite: false, seed: false });
    servers.push(server);
    expect(server.smsCallbackUrl).toMatch(/^https:\/\/sign\.imlu\.example\/v1\/sms\/delivery-reports\/[A-Za-z0-9_-]{43}$/);
    const callback = `${server.apiUrl}${new URL(server.smsCallbackUrl!).pathname}`;
    const report = new URLSearchParams({ id: 'ATXid_unknown', status: 'Failed' }).toString();
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    expect((await fetch(callback, { method: 'POST', headers: form, body: report })).status).toBe(200);
    expect((await fetch(`${server.apiUrl}/v1/sms/delivery-reports`, { method: 'POST', headers: form, body: report })).status).toBe(404);
    // Chunked, so no Content-Length to judge by: the limit counts the bytes as they arrive.
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const tooBig = await fetch(callback, { method: 'POST', headers: form, body, duplex: 'half' } as RequestInit);
    expect([tooBig.status, ((await tooBig.json()) as { type: string }).type]).toEqual([413, 'urn:imlu:problem:payload-too-large']);
    expect((await fetch(`${server.apiUrl}/health`)).status).toBe(200);
  });

  it('refuses to open a database with keys other than the ones that wrote it', async () => {
    const dataDir = tempDir();
    const first = await startServer({ config: parseEnv({ DATA_DIR: dataDir, PORT: '0', DEMO_PORT: '0' }), partnerSite: false });
    await first.close();
    rmSync(path.join(dataDir, 'keys.json')); // "lost" keys: new ones would be generated
    await expect(startServer({ config: parseEnv({ DATA_DIR: dataDir, PORT: '0' }), partnerSite: false })).rejects.toThrow(
      /do not match the keys this database was written with/,
    );
  });

  it('in development seeds a demo staff account whose printed secret signs in to the console, the same secret after a restart', async () => {
    const smtp = await startTestSmtp();
    try {
      const env = { DATA_DIR: tempDir(), PORT: '0', LOG_LEVEL: 'silent', SMTP_URL: smtp.url, MAIL_FROM: 'IMLU <no-reply@imlu.example>' };
      const server = await startServer({ config: parseEnv(env), partnerSite: false });
      servers.push(server);
      expect(server.demoStaff).toMatchObject({ email: DEMO_STAFF.email, secret: expect.stringMatching(/^[A-Z2-7]{32}$/) });
      const asked = await fetch(`${server.apiUrl}/console/api/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.apiUrl },
        body: JSON.stringify({ email: server.demoStaff!.email }),
      });
      expect(asked.status).toBe(202);
      const [mail] = await smtp.waitFor(1);
      const link = /\/console#link=([\w-]{43})/.exec(mail!.text ?? '')![1]!;
      const verified = await fetch(`${server.apiUrl}/console/api/sign-in/verify`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.apiUrl },
        body: JSON.stringify({ link, code: new TOTP({ secret: Secret.fromBase32(server.demoStaff!.secret) }).generate() }),
      });
      expect(verified.status).toBe(200);
      expect(await verified.json()).toMatchObject({ name: DEMO_STAFF.name, role: 'admin' });
      const secret = server.demoStaff!.secret;
      await server.close();
      servers.pop();

      const again = await startServer({ config: parseEnv(env), partnerSite: false });
      servers.push(again);
      expect(again.demoStaff?.secret).toBe(secret);
      expect(Number((await again.db.client.execute('SELECT COUNT(*) FROM staff')).rows[0]![0])).toBe(1);
    } finally {
      await smtp.stop();
    }
  });

  it('runs the outbox worker: a confirmation e-mail arrives over SMTP and its link confirms on the real server', async () => {
    const smtp = await startTestSmtp();
    try {
      const env = { DATA_DIR: tempDir(), PORT: '0', LOG_LEVEL: 'silent', SMTP_URL: smtp.url, MAIL_FROM: 'IMLU <no-reply@imlu.example>' };
      const server = await startServer({ config: parseEnv(env), partnerSite: false });
      servers.push(server);
      await createCampaign(server.db, { ...OPEN_CAMPAIGN, slug: 'confirm-me', verification: 'email' });
      const signed = await fetch(`${server.apiUrl}/v1/campaigns/confirm-me/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Amina Hassan', email: 'amina@example.org', consent: { terms: true } }),
      });
      expect(signed.status).toBe(202);
      // Nobody calls the worker here: the running server sends on its own.
      const [mail] = await smtp.waitFor(1);
      const link = linkIn(mail!);
      expect(link.startsWith(`${server.apiUrl}/v1/confirm/`)).toBe(true);
      // Opening the link shows what would be confirmed; only its button (a form post from the page) confirms.
      expect((await fetch(link)).status).toBe(200);
      const counted = async () => ((await (await fetch(`${server.apiUrl}/v1/campaigns/confirm-me/counts`)).json()) as { signatures: number }).signatures;
      expect(await counted()).toBe(0);
      const pressed = await fetch(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.apiUrl }, body: '' });
      expect(pressed.status).toBe(200);
      expect(await counted()).toBe(1);
      await server.close();
    } finally {
      await smtp.stop();
    }
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/main.ts` like `pnpm start` does; `onOutput` may act on what it prints (e.g. send SIGTERM). */
function runMain(env: Record<string, string>, onOutput?: (stdout: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: API_DIR,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Sends SIGTERM once the start-up lines are out and the server answers (by then main.ts has installed its
 * signal handlers; a SIGTERM before that would kill it with no exit code).
 */
const stopping = new WeakSet<ReturnType<typeof spawn>>();
function stopWhenServing(stdout: string, child: ReturnType<typeof spawn>): void {
  const api = /IMLU Campaign SDK API\s+(http:\/\/\S+)/.exec(stdout)?.[1];
  if (!api || !stdout.includes('Database ') || stopping.has(child)) return;
  stopping.add(child);
  void fetch(`${api}/health`).finally(() => child.kill('SIGTERM'));
}

describe('src/main.ts', () => {
  it('prints both URLs and the generated key file, serves, and exits 0 on SIGTERM', async () => {
    const dataDir = tempDir();
    let apiUrl: string | undefined;
    let health: unknown;
    const run = await runMain({ DATA_DIR: dataDir, PORT: '0', DEMO_PORT: '0' }, (stdout, child) => {
      const match = /IMLU Campaign SDK API\s+(http:\/\/\S+)/.exec(stdout);
      if (!match || apiUrl || !stdout.includes('Demo partner site')) return;
      apiUrl = match[1];
      void fetch(`${apiUrl}/health`)
        .then((r) => r.json())
        .then((body) => (health = body))
        .finally(() => child.kill('SIGTERM'));
    });
    expect(run.code).toBe(0);
    expect(health).toEqual({ status: 'ok' });
    expect(run.stdout).toMatch(/Demo partner site\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).toMatch(/Demo response link\s+http:\/\/127\.0\.0\.1:\d+\/r\//);
    expect(run.stdout).toContain(`generated into ${path.join(dataDir, 'keys.json')}`);
    expect(run.stdout).not.toContain('delivery-reports'); // only with SMS_PROVIDER=africastalking
    expect(run.stdout).toContain('stopped cleanly');
  });

  it('refuses to start in production without keys, naming the variables', async () => {
    const run = await runMain({ NODE_ENV: 'production', DATA_DIR: tempDir(), PORT: '0' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ENCRYPTION_KEY is required in production/);
    expect(run.stderr).toMatch(/BLIND_INDEX_KEY is required in production/);
  });

  it('in production prints no demo site, response link or demo board, and says which mode it runs in', async () => {
    const run = await runMain({ NODE_ENV: 'production', DATA_DIR: tempDir(), PORT: '0', ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key() }, stopWhenServing);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Mode\s+production/);
    expect(run.stdout).not.toMatch(/Demo partner site|Demo response link|Accountability board|justice-for-survivors/);
    const dev = await runMain({ DATA_DIR: tempDir(), PORT: '0', DEMO_PORT: '0' }, stopWhenServing);
    expect(dev.stdout).toMatch(/Mode\s+DEVELOPMENT: .*For a deployment set NODE_ENV=production/);
  });

  it('refuses keys in the environment with NODE_ENV unset, naming NODE_ENV (the demo\'s generated key file is not that)', async () => {
    const run = await runMain({ DATA_DIR: tempDir(), PORT: '0', ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: key() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Invalid configuration:\n\s+NODE_ENV must be set when ENCRYPTION_KEY or BLIND_INDEX_KEY is: production for a deployment/);
    expect(run.stdout).not.toContain('IMLU Campaign SDK API');
    // One key is enough to mean a deployment.
    expect((await runMain({ DATA_DIR: tempDir(), PORT: '0', BLIND_INDEX_KEY: key() })).stderr).toMatch(/NODE_ENV must be set/);
  });

  it('stops on a malformed key, naming the variable and printing no part of its value', async () => {
    const hex = randomBytes(32).toString('hex');
    const hexRun = await runMain({ NODE_ENV: 'production', DATA_DIR: tempDir(), PORT: '0', ENCRYPTION_KEY: key(), BLIND_INDEX_KEY: hex });
    expect(hexRun.code).toBe(1);
    expect(hexRun.stderr).toMatch(/^Invalid configuration:\n\s+BLIND_INDEX_KEY must be 32 random bytes in base64 .*looks like hex/);
    const garbled = `${key().slice(0, 40)}%~~~`;
    const garbledRun = await runMain({ NODE_ENV: 'production', DATA_DIR: tempDir(), PORT: '0', ENCRYPTION_KEY: garbled, BLIND_INDEX_KEY: key() });
    expect(garbledRun.code).toBe(1);
    expect(garbledRun.stderr).toMatch(/^Invalid configuration:\n\s+ENCRYPTION_KEY must be 32 random bytes in base64/);
    expect(garbledRun.stderr).not.toMatch(/is not a function|TypeError/);
    for (const [value, output] of [[hex, hexRun.stderr + hexRun.stdout], [garbled, garbledRun.stderr + garbledRun.stdout]] as const) {
      for (let i = 0; i + 6 <= value.length; i++) expect(output).not.toContain(value.slice(i, i + 6));
    }
  });

  it('refuses an invalid variable, naming it', async () => {
    const run = await runMain({ PORT: 'http', DATA_DIR: tempDir() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Invalid configuration:\n\s+PORT must be a whole number/);
  });
});
