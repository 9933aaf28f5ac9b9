/**
 * `imlu partner-view create | list | revoke` against a real database, and the link it prints served by a
 * real app on the same database: its own origin's figures only, until revoked; audited; the link never
 * stored or listed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Api } from '../app.ts';
import { listAudit } from '../audit/audit.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createDb, type Db } from '../db/client.ts';
import { OPEN_CAMPAIGN, PARTNER_ORIGIN, validSignature } from '../../test/helpers.ts';
import { cliEnv, runImlu } from '../../test/cli-harness.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
let db: Db;
let api: Api;
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
const imlu = (...args: string[]) => runImlu(env, ...args);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-partner-cli-'));
  env = { ...cliEnv(dir, keys), PUBLIC_BASE_URL: 'https://sign.imlu.example' };
  expect((await imlu('migrate')).code).toBe(0);
  db = await createDb(env['DATABASE_URL']!);
  await createCampaign(db, { ...OPEN_CAMPAIGN, slug: 'first' }, Date.now());
  api = await createApp({ db, config: { ...keys, allowedOrigins: [PARTNER_ORIGIN, 'https://other.example'], countsMaxAge: 10 } });
  let n = 0;
  for (const origin of [PARTNER_ORIGIN, PARTNER_ORIGIN, 'https://other.example']) {
    n++;
    const response = await api.app.request('/v1/campaigns/first/signatures', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin, 'Idempotency-Key': `k${n}` },
      body: JSON.stringify(validSignature({ name: `Signer ${n}`, phone: `07330004${n}0`, source: 'newsletter' })),
    });
    expect(response.status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await api?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('imlu partner-view', () => {
  it('prints a link once that shows the partner its own figures, lists it without the link, and revokes it', async () => {
    const created = await imlu('partner-view', 'create', '--campaign', 'first', '--origin', PARTNER_ORIGIN, '--label', 'Partner newsletter');
    expect(created.code).toBe(0);
    const url = created.stdout.trim();
    expect(url).toMatch(/^https:\/\/sign\.imlu\.example\/v1\/partner-stats\/imlu_pv_[\w-]{43}$/);
    const token = url.slice(url.lastIndexOf('/') + 1);

    const view = await api.app.request(`/v1/partner-stats/${token}`);
    expect(view.status).toBe(200);
    const body = (await view.json()) as { origin: string; stats: { origins: { origin: string; counted: number | string }[] } };
    expect(body.origin).toBe(PARTNER_ORIGIN);
    expect(body.stats.origins).toEqual([expect.objectContaining({ origin: PARTNER_ORIGIN, counted: '<5' })]);

    const listed = await imlu('partner-view', 'list', '--campaign', 'first', '--json');
    expect(listed.code).toBe(0);
    const views = JSON.parse(listed.stdout) as { id: string; origin: string; label: string; revokedAt: number | null }[];
    expect(views).toEqual([expect.objectContaining({ origin: PARTNER_ORIGIN, label: 'Partner newsletter', revokedAt: null })]);
    expect(listed.stdout).not.toContain(token);

    const revoked = await imlu('partner-view', 'revoke', views[0]!.id);
    expect(revoked.code).toBe(0);
    expect((await api.app.request(`/v1/partner-stats/${token}`)).status).toBe(404);
    expect((await imlu('partner-view', 'revoke', views[0]!.id)).code).toBe(1);

    const audit = await listAudit(db, {});
    expect(audit.filter((a) => a.action.startsWith('partner-view.')).map((a) => [a.action, a.actor.startsWith('cli:')])).toEqual(
      expect.arrayContaining([
        ['partner-view.created', true],
        ['partner-view.revoked', true],
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('refuses what is not an origin, an unknown campaign and a bad --days, with usage errors', async () => {
    for (const origin of ['partner.example', 'https://partner.example/page', 'ftp://partner.example']) {
      const run = await imlu('partner-view', 'create', '--campaign', 'first', '--origin', origin);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--origin/);
    }
    expect((await imlu('partner-view', 'create', '--campaign', 'first', '--origin', PARTNER_ORIGIN, '--days', 'soon')).code).toBe(2);
    expect((await imlu('partner-view', 'create', '--campaign', 'nope', '--origin', PARTNER_ORIGIN)).code).not.toBe(0);
    expect(Number((await db.client.execute('SELECT count(*) FROM partner_views')).rows[0]![0])).toBe(1);
  });
});
